"""Audio files and Kaldi feature archives."""
import os

from . import _auris
from ._errors import file_errors


def read_audio(path, channel=None):
    """(samples, sample_rate) of an audio file: float32 in [-1, 1], 1-D.

    Any format the CLI reads (libsndfile: WAV, FLAC, OGG, MP3, ...), at the
    file's own rate. channel: an index, or None to average the channels.
    Raises auris.FileError naming the file.
    """
    return file_errors(_auris.read_audio, os.fspath(path), -1 if channel is None else int(channel))


def _specifier(path, kind):
    path = os.fspath(path)
    if ":" in path.split("/")[0]:  # already ark:..., scp:..., ark,t:..., npy:DIR
        return path
    if kind == "r" and path.endswith(".scp"):
        return "scp:" + path
    return "ark:" + path


def read_ark(path):
    """Feature matrices of a Kaldi archive as {utterance id: float32 array}.

    path: FILE.ark, FILE.scp, or any rspecifier the CLI reads (ark:, scp:,
    ark,t:, npy:DIR). Keys keep the file order.
    """
    return file_errors(_auris.read_ark, _specifier(path, "r"))


def write_ark(path, matrices, text=False):
    """Writes {utterance id: 2-D array} as a Kaldi archive (binary, or text
    with text=True); path may also be a wspecifier such as
    ark,scp:feats.ark,feats.scp. The file appears complete or not at all."""
    spec = _specifier(path, "w")
    if text and spec.startswith("ark:"):
        spec = "ark,t:" + spec[4:]
    file_errors(_auris.write_ark, spec, dict(matrices))


__all__ = ["read_audio", "read_ark", "write_ark"]
