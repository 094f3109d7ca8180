"""`make test`'s main step: every notebook (those named by `--kernel` in a real Jupyter kernel) and the `--make` targets
(the release check, the docs, the source checks), as jobs on one pool of `--workers` processes, longest first.

Each job writes its temporary files (phantoms, checkpoints, whole runs for the pipeline's) into a folder of its own under $TMPDIR,
removed when the job ends: the disk needs room for the running jobs' files, not for every job's (several GB when they piled up).

nbdev_test runs the notebooks in name order, so the longest ones (08a, 07) start near the end and one core idles while they
finish; and the kernel notebooks and `make dist` ran as a third stream beside its two workers, three processes on two cores.
Here each job is timed (`--out`), and the next run starts them in the order of the recorded times (`--times`, kept by
`make record-test`), longest first: on two cores that leaves the least time with one core idle. A notebook runs exactly as
nbdev_test runs it (nbdev's `test_nb`, the `tst_flags` of settings.ini skipped, IN_TEST=1). The first failure stops new jobs
from starting; the run fails with that job's error.
"""
import argparse, json, re, multiprocessing as mp, os, shutil, subprocess, sys, tempfile, time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def run_job(kind:str, name:str, logs:str) -> tuple[bool, float, str]:
    "Run one job in this worker, its temporary files in a folder of its own that goes with it: (passed, seconds, what to show when it failed)."
    tmp, root = tempfile.mkdtemp(prefix=f'{Path(name).stem}_', dir=logs), os.environ.get('TMPDIR')
    os.environ['TMPDIR'] = tempfile.tempdir = tmp   # for this process (tempfile caches its folder) and the ones it starts
    try: return _run_job(kind, name, logs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        tempfile.tempdir = None
        if root is None: os.environ.pop('TMPDIR', None)
        else: os.environ['TMPDIR'] = root

def _run_job(kind:str, name:str, logs:str) -> tuple[bool, float, str]:
    start = time.time()
    if kind == 'nb':   # as nbdev_test does, in this (forked, reused) process
        import io, contextlib
        from nbdev.config import get_config
        from nbdev.test import test_nb
        from fastcore.xtras import working_directory
        cfg, err = get_config(), io.StringIO()
        with working_directory(cfg.nbs_path), contextlib.redirect_stderr(err):
            ok, _ = test_nb(cfg.nbs_path/name, skip_flags=cfg.tst_flags.split(), basepath=cfg.config_path)
        return ok, time.time() - start, err.getvalue()
    if kind == 'kernel':   # in a real Jupyter kernel, as a user runs it (widgets, Markdown)
        cmd = [str(Path(sys.executable).parent/'jupyter'), 'nbconvert', '--to', 'notebook', '--execute', '--output-dir', logs,
               f'nbs/{name}', '--log-level', 'WARN']
        env = os.environ | dict(IN_TEST='1')
    else: cmd, env = ['make', '--no-print-directory', name], os.environ
    r = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    return r.returncode == 0, time.time() - start, f"$ {' '.join(cmd)}\n{r.stdout[-6000:]}{r.stderr[-6000:]}"

def jobs(kernel:list[str], make:list[str]) -> list[tuple[str, str]]:
    "Every job: the notebooks nbdev_test would run (not `_`- or `.`-named), those in `kernel` in a Jupyter kernel instead, and `make` targets."
    nbs = sorted(p.name for p in (ROOT/'nbs').glob('*.ipynb') if not p.name.startswith(('_', '.')))
    missing = set(kernel) - set(nbs)
    if missing: sys.exit(f"run_tests: no notebook {sorted(missing)} in nbs/. Fix: correct --kernel")
    return [('kernel' if n in kernel else 'nb', n) for n in nbs] + [('make', t) for t in make]

def longest_first(todo, times:dict) -> list:
    "`todo` ordered by the recorded `times`, longest first; a job with no recorded time goes first (it may be long)."
    return sorted(todo, key=lambda j: -times.get(j[1], float('inf')))

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--workers', type=int, default=os.cpu_count() or 2)
    p.add_argument('--kernel', nargs='*', default=['08_pipeline.ipynb', '09_explorer.ipynb'])
    p.add_argument('--make', nargs='*', default=['dist'], help='make targets run as jobs too')
    p.add_argument('--times', default=str(ROOT/'benchmarks/results/cpu/test_times.json'), help='recorded times: the order')
    p.add_argument('--only', default='', help='a regular expression: run only the jobs whose name it finds (times are then not written)')
    p.add_argument('--out', default=str(ROOT/'reports/test_times.json'), help='where this run writes its times')
    a = p.parse_args()
    rec = Path(a.times)
    times = {k: v for k, v in json.loads(rec.read_text()).items() if not k.startswith('_')} if rec.is_file() else {}
    todo = [j for j in jobs(a.kernel, a.make) if re.search(a.only, j[1])]
    todo, logs = longest_first(todo, times), os.environ.get('TMPDIR', '/tmp')
    done, failed, start = {}, None, time.time()
    # fork, as nbdev_test's pool does; this process imports no torch, so the workers start clean
    with ProcessPoolExecutor(a.workers, mp_context=mp.get_context('fork')) as ex:
        futs = {ex.submit(run_job, kind, name, logs): name for kind, name in todo}
        for f in as_completed(futs):
            name = futs[f]
            if f.cancelled(): continue
            try: ok, secs, msg = f.result()
            except Exception as e: ok, secs, msg = False, float('nan'), repr(e)   # a worker that died
            done[name] = round(secs, 1)
            print(f"{name}: {secs:.0f} s{'' if ok else '  FAILED'}", flush=True)
            if not ok and failed is None:
                failed = name; sys.stderr.write(f"\n{name} failed:\n{msg}\n")
                for g in futs: g.cancel()   # start nothing more; the running jobs finish
    wall = time.time() - start
    busy = sum(v for v in done.values() if v == v)
    print(f"{len(done)} jobs in {wall:.0f} s on {a.workers} workers ({busy/(a.workers*wall):.0%} busy)")
    if failed: sys.exit(f"make test: {failed} failed (its error is above)")
    if a.only: return
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    commit = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    Path(a.out).write_text(json.dumps(dict(sorted(done.items(), key=lambda kv: -kv[1])) | dict(_wall=round(wall), _workers=a.workers, _commit=commit), indent=1) + '\n')

if __name__ == '__main__':   # the jobs by their module's name: a notebook's IPython shell replaces __main__ in the worker
    sys.path.insert(0, str(Path(__file__).parent)); import run_tests; run_tests.main()
