"""Fail when a demo's figures differ from the recorded ones: `make check-demo`, after `make demo` (CI runs both after `make test`).

Compares reports/summary.json, written by the demo that just ran, with nbs/images/demo_summary.json, which the README and
the index quote (through `demo_markdown`), with `summary_diffs` (07c_report): every key but `made_with` (who recorded it,
when, how long it took) must be equal, every float to the last bit, since the demo is deterministic with its arithmetic
pinned (see the Makefile's DEMO_ENV) on one CPU model. On another CPU model the figures are compared in shape only and the
data, settings and counts bit for bit; this says so. On a difference it prints each per-seed figure that moved, and the fix."""
import json, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(root))
from cxr_nbdev.report import summary_diffs, HEADLINE

def per_seed(s:dict) -> list[str]:
    "The headline test figures of every run, one line per seed and arm."
    return [f"seed {sd} {arm}: " + ', '.join(f"{k} {r.get(k)}" for k in HEADLINE) for sd, runs in s['runs'].items() for arm, r in runs.items()]

if __name__ == '__main__':
    rec_fn, now_fn = root/'nbs'/'images'/'demo_summary.json', root/'reports'/'summary.json'
    if not now_fn.is_file(): sys.exit(f"check_demo: {now_fn} is missing. Fix: run `make demo` first.")
    rec, now = json.loads(rec_fn.read_text()), json.loads(now_fn.read_text())
    made = rec.get('made_with', {}).get('commit', '?')[:7]
    d, figures = summary_diffs(rec, now)
    if not d:
        if figures: print(f"check_demo: this demo wrote exactly the recorded figures ({len(now['seeds'])} seeds, {sum(len(r) for r in now['runs'].values())} classifier runs; recorded at {made}).")
        else: print(f"check_demo: this CPU is not the one that recorded the demo (recorded on {rec.get('numerics', {}).get('cpu', 'a CPU not named')}; this is {now['numerics']['cpu']}), "
                    "and oneDNN rounds by the CPU's caches, so the figures were compared in shape only; the data, splits, settings and counts are those recorded. "
                    "To compare the figures bit for bit on this machine, record it: `make record-demo`.")
        sys.exit(0)
    moved = [f"  recorded {a}\n  now      {b}" for a, b in zip(per_seed(rec), per_seed(now)) if a != b] if figures else []
    print(f"check_demo: the demo differs from {rec_fn.relative_to(root)} (recorded at {made}) in {len(d)} places{'' if figures else ' (another CPU: figures compared in shape only)'}; the first:")
    print('\n'.join('  ' + x for x in d[:15]))
    if moved: print('Per-seed test figures that moved:\n' + '\n'.join(moved))
    print(f"Numerics: recorded {rec.get('numerics')}, now {now.get('numerics')}.")
    print("Fix: if the code changed the figures on purpose, record them (`make clean-outputs && make demo && make record-demo`, then commit); "
          "otherwise find what made the run differ (numerics above, a changed default, an unseeded draw).")
    sys.exit(1)
