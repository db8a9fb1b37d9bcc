"""Re-export of :mod:`geo.errors`, so planning code and users import errors from one place."""

from geo.errors import InfeasibleError, LayerError, NetworkError, OptionError, OutputError, StudyError

__all__ = ["InfeasibleError", "LayerError", "NetworkError", "OptionError", "OutputError", "StudyError"]
