"""Feature extraction from NumPy arrays: the C++ chain of `auris features`."""
from . import _auris
from ._options import FeatureOptions, resolve


def compute_features(samples, sample_rate, options=None, *, num_threads=1, **kaldi_options):
    """Kaldi features of one utterance, or of a list of utterances.

    samples: a 1-D array, float32/float64 in [-1, 1] (scaled by 32768 inside,
    as the CLI reads audio files) or int16; or a list/tuple of such arrays,
    computed in parallel on ``num_threads`` threads (0: all cores).
    sample_rate must equal the options' ``sample_frequency`` (no resampling).
    options: auris.FeatureOptions, a dict as its as_dict(), or None for the
    defaults; keyword options (``num_ceps=20``, ``type="fbank"``) override it.

    Returns a float32 array (frames x dim), or a list of them; the arrays own
    the C++ result (no copy). Equal, bit for bit, to `auris features` on a
    file holding the same samples. The GIL is released while computing.
    Raises auris.Error (a ValueError) on bad options or arrays.
    """
    opts = resolve(options, kaldi_options).kaldi_options()
    if isinstance(samples, (list, tuple)):
        return _auris.compute_features_many(samples, float(sample_rate), opts, int(num_threads))
    return _auris.compute_features(samples, float(sample_rate), opts)


class OnlineFeatures:
    """Features computed as audio arrives; the same frames as compute_features.

    >>> f = auris.OnlineFeatures(auris.FeatureOptions("fbank"))
    >>> f.accept_waveform(16000, chunk)   # any number of times
    >>> f.input_finished()                # flushes the last frames
    >>> f.get_frames(0, f.num_frames_ready)
    """

    def __init__(self, options=None, **kaldi_options):
        self.options = resolve(options, kaldi_options)
        self._impl = _auris.OnlineFeatures(self.options.kaldi_options())

    def accept_waveform(self, sample_rate, samples):
        """Appends samples (as compute_features takes them) and computes every
        frame now complete. sample_rate must equal the options'."""
        self._impl.accept_waveform(float(sample_rate), samples)

    def input_finished(self):
        """No more audio: computes the last frames."""
        self._impl.input_finished()

    @property
    def num_frames_ready(self):
        """Frames computed so far."""
        return self._impl.num_frames_ready

    @property
    def is_input_finished(self):
        return self._impl.is_input_finished

    @property
    def dim(self):
        """Feature dimension."""
        return self._impl.dim

    def get_frames(self, start=0, count=None):
        """Frames [start, start + count) as a float32 array (count None: up to
        num_frames_ready)."""
        return self._impl.get_frames(int(start), -1 if count is None else int(count))

    def __repr__(self):
        return f"OnlineFeatures({self.options!r}, num_frames_ready={self.num_frames_ready})"


__all__ = ["FeatureOptions", "compute_features", "OnlineFeatures"]
