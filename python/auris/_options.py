"""auris.FeatureOptions: the Kaldi feature options of `auris features`."""
import builtins
import json

from . import _auris
from ._errors import Error

_TYPES = ("mfcc", "fbank", "spectrogram", "plp")


def _kaldi_name(name):
    return name.replace("_", "-")


def _python_name(name):
    return name.replace("-", "_")


def _text(value):
    # The C++ option table parses Kaldi's command-line spelling.
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class FeatureOptions:
    """Kaldi feature options, as `auris features` takes them.

    ``FeatureOptions(type="mfcc", num_ceps=13, snip_edges=False)``: the CLI's
    option names (``--num-ceps``) in snake_case, with its defaults (Kaldi's,
    except ``dither=0``). ``type`` is "mfcc", "fbank", "spectrogram" or "plp"; only
    the options of that type are accepted. Values are validated by the C++
    core (auris.Error names the option). Read them as attributes
    (``opts.num_ceps``) or with ``as_dict()``; instances are immutable,
    comparable and picklable.
    """

    __slots__ = ("_values",)

    def __init__(self, type="mfcc", **options):
        if not isinstance(type, str):
            raise TypeError(f"type: expected a str ({', '.join(_TYPES)}), got {builtins.type(type).__name__}")
        given = {_kaldi_name(k): _text(v) for k, v in options.items()}
        values = json.loads(_auris.resolve_feature_options({"type": type, **given}))
        for name in given:
            if name not in values:
                raise Error(f"option {_python_name(name)} does not apply to type {type}")
        object.__setattr__(self, "_values", values)

    @classmethod
    def from_dict(cls, values):
        """The options of a dict as ``as_dict()`` returns it."""
        values = dict(values)
        return cls(values.pop("type", "mfcc"), **values)

    def as_dict(self):
        """Every option of this type, snake_case name -> value, "type" first."""
        return {_python_name(k): v for k, v in self._values.items()}

    def kaldi_typed(self):
        """Kaldi name -> typed value (bool, int, float, str)."""
        return dict(self._values)

    def kaldi_options(self):
        """Kaldi name -> text, as the C++ core reads them."""
        return {k: _text(v) for k, v in self._values.items()}

    def __getattr__(self, name):
        try:
            return self._values[_kaldi_name(name)]
        except KeyError:
            raise AttributeError(f"FeatureOptions of type {self._values['type']} have no option {name}") from None

    def __setattr__(self, name, value):
        raise AttributeError("FeatureOptions are immutable; make new ones with FeatureOptions(**{**opts.as_dict(), ...})")

    def __eq__(self, other):
        return isinstance(other, FeatureOptions) and self._values == other._values

    def __hash__(self):
        return hash(tuple(sorted(self.kaldi_options().items())))

    def __reduce__(self):
        return (_from_dict, (self.as_dict(),))

    def __repr__(self):
        changed = {k: v for k, v in self.as_dict().items()
                   if k != "type" and _DEFAULTS[self.type].get(k) != v}
        args = "".join(f", {k}={v!r}" for k, v in changed.items())
        return f"FeatureOptions(type={self.type!r}{args})"

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self.as_dict()))


def _from_dict(values):
    return FeatureOptions.from_dict(values)


_DEFAULTS = {t: {_python_name(k): v for k, v in json.loads(_auris.resolve_feature_options({"type": t})).items()}
             for t in _TYPES}


def resolve(options, kaldi_options):
    """FeatureOptions from an options argument (FeatureOptions, dict or None)
    updated by keyword options."""
    if options is None:
        return FeatureOptions(**kaldi_options)
    if isinstance(options, dict):
        options = FeatureOptions.from_dict(options)
    elif not isinstance(options, FeatureOptions):
        raise TypeError(f"options: expected auris.FeatureOptions, dict or None, got {type(options).__name__}")
    if not kaldi_options:
        return options
    # A new type keeps the options that were changed from the old type's
    # defaults and that it shares (use_energy's default differs by type).
    base = options.as_dict()
    new_type = kaldi_options.get("type", base["type"])
    if new_type != base["type"]:
        old_defaults = _DEFAULTS[base["type"]]
        base = {k: v for k, v in base.items() if k in _DEFAULTS[new_type] and v != old_defaults.get(k)}
    return FeatureOptions.from_dict({**base, **kaldi_options})
