__version__ = "0.1.0"
# fastai.layers calls torch.jit.script at import, which torch 2.10+ flags as deprecated: not ours to fix, and noise in every command.
import warnings as _warnings
_warnings.filterwarnings('ignore', message=r'`torch\.jit\.script` is deprecated', category=FutureWarning)
