"""`make dist`'s check: the built wheel, installed into a fresh virtual environment outside the repository, runs the main
job on the tiny preset. The environment gets the project's dependencies from .venv (a .pth file), so nothing is downloaded,
and only the wheel provides cxr_nbdev: the check fails if the wheel lacks a module, a console script or a data file."""
import json, os, subprocess, sys, tempfile, venv
from pathlib import Path

root = Path(__file__).resolve().parent.parent

def main(dist:Path) -> int:
    wheels = sorted(dist.glob('cxr_nbdev-*.whl')); sdists = sorted(dist.glob('cxr_nbdev-*.tar.gz'))
    if len(wheels) != 1 or len(sdists) != 1: print(f"dist: expected one wheel and one sdist in {dist}, found {wheels + sdists}"); return 1
    tmp = Path(tempfile.mkdtemp(prefix='cxr_dist_'))
    env_dir = tmp/'env'; venv.create(env_dir, with_pip=True, symlinks=True)
    py = env_dir/'bin'/'python'
    site = subprocess.run([str(py), '-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'], capture_output=True, text=True, check=True).stdout.strip()
    deps = subprocess.run([str(root/'.venv'/'bin'/'python'), '-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'], capture_output=True, text=True, check=True).stdout.strip()
    Path(site, 'project_deps.pth').write_text(deps + '\n')  # the dependencies, not the editable project (its .pth files are not read from there)
    r = subprocess.run([str(py), '-m', 'pip', 'install', '-q', '--no-deps', '--disable-pip-version-check', str(wheels[0])], capture_output=True, text=True)
    if r.returncode: print(f"dist: installing {wheels[0].name} failed:\n{r.stderr[-2000:]}"); return 1
    env = {k: v for k, v in os.environ.items() if not k.startswith('CXR_')} | {'IN_TEST': '1', 'CXR_PIPELINE_SEEDS': '0'}
    where = subprocess.run([str(py), '-c', 'import cxr_nbdev; print(cxr_nbdev.__file__, cxr_nbdev.__version__)'], capture_output=True, text=True, cwd=tmp, env=env).stdout.split()
    if not where or not where[0].startswith(site): print(f"dist: cxr_nbdev was imported from {where}, not from the installed wheel in {site}"); return 1
    job = subprocess.run([str(env_dir/'bin'/'cxr_pipeline'), '--out', str(tmp/'job')], capture_output=True, text=True, cwd=tmp, env=env)
    if job.returncode or not (tmp/'job'/'reports'/'summary.json').is_file():
        print(f"dist: the installed cxr_pipeline failed outside the repository:\n{(job.stdout + job.stderr)[-3000:]}"); return 1
    s = json.loads((tmp/'job'/'reports'/'summary.json').read_text())
    print(f"dist: {wheels[0].name} and {sdists[0].name} built; the wheel ({where[1]}) installed into a fresh environment ran the tiny main job "
          f"outside the repository ({len(s['runs'])} seed, {s['n_test']} test images)")
    return 0

if __name__ == '__main__': sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else root/'dist')))
