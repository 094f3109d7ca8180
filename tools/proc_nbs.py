"""nbdev's processing of the notebooks for the docs (`nbdev_proc_nbs`) without its Quarto step.

`nbdev_proc_nbs` first ensures Quarto: where it is missing it tries `sudo` to install it and then runs
`pip install -e .` with whatever `pip` is first on PATH, which can install this project into the system Python.
This runs the same steps after that one: nbs/nbdev.yml from settings.ini, the doc links index, and the
processed notebooks in _proc/ (show_doc cells, directives) that a renderer turns into the site."""
from nbdev.quarto import refresh_quarto_yml
from nbdev.serve import proc_nbs
import nbdev.doclinks

if __name__ == '__main__':
    refresh_quarto_yml()
    nbdev.doclinks._build_modidx()
    proc_nbs(n_workers=0)
