"""Fail when a demo's figures differ from the recorded ones: `make check-demo`, after `make demo` (CI runs both after `make test`).

Compares reports/summary.json, written by the demo that just ran, with nbs/images/demo_summary.json, which the README and
the index quote (through `demo_markdown`): every key but `made_with` (who recorded it, when, how long it took) must be
equal, every float to the last bit, since the demo is deterministic with its arithmetic pinned (see the Makefile's
DEMO_ENV). On a difference it prints each per-seed figure and each comparison figure that moved, and the fix."""
import json, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
HEAD = ('roc_auc', 'accuracy', 'sensitivity', 'specificity')

def diffs(a, b, pre='') -> list[str]:
    "Every path at which the JSON values `a` (recorded) and `b` (this run) differ, as 'path: recorded -> now'."
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b), key=str) for d in diffs(a.get(k), b.get(k), f'{pre}{k}.')]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in diffs(x, y, f'{pre}{i}.')]
    return [] if a == b else [f"{pre.rstrip('.')}: {a!r} -> {b!r}"]

def per_seed(s:dict) -> list[str]:
    "The headline test figures of every run, one line per seed and arm."
    return [f"seed {sd} {arm}: " + ', '.join(f"{k} {r.get(k)}" for k in HEAD) for sd, runs in s['runs'].items() for arm, r in runs.items()]

if __name__ == '__main__':
    rec_fn, now_fn = root/'nbs'/'images'/'demo_summary.json', root/'reports'/'summary.json'
    if not now_fn.is_file(): sys.exit(f"check_demo: {now_fn} is missing. Fix: run `make demo` first.")
    rec, now = json.loads(rec_fn.read_text()), json.loads(now_fn.read_text())
    made = rec.pop('made_with', {})
    d = diffs(rec, now)
    if not d:
        print(f"check_demo: this demo wrote exactly the recorded figures ({len(now['seeds'])} seeds, {sum(len(r) for r in now['runs'].values())} classifier runs; recorded at {made.get('commit', '?')[:7]}).")
        sys.exit(0)
    moved = [f"  recorded {a}\n  now      {b}" for a, b in zip(per_seed(rec), per_seed(now)) if a != b]
    print(f"check_demo: the demo's figures differ from {rec_fn.relative_to(root)} (recorded at {made.get('commit', '?')[:7]}) in {len(d)} places; the first:")
    print('\n'.join('  ' + x for x in d[:15]))
    if moved: print('Per-seed test figures that moved:\n' + '\n'.join(moved))
    print(f"Numerics: recorded {rec.get('numerics')}, now {now.get('numerics')}.")
    print("Fix: if the code changed the figures on purpose, record them (`make clean-outputs && make demo && make record-demo`, then commit); "
          "otherwise find what made the run differ (numerics above, a changed default, an unseeded draw).")
    sys.exit(1)
