"""auris: Kaldi-compatible speech features, streaming recognition and
keyword spotting from NumPy, computed by the same C++ core as the `auris`
command line (and giving the same numbers).

    import auris
    samples, rate = auris.read_audio("data/samples/two.wav")
    feats = auris.compute_features(samples, rate, type="mfcc", num_ceps=13)
    rec = auris.Recognizer("data/models/digits-ctc.safetensors")
    print(rec.transcribe(*auris.read_audio("data/samples/three_one_four.wav")).text)
    stream = rec.create_stream()   # accept_waveform(rate, chunk), events(), input_finished()
"""
from ._auris import __version__
from ._errors import Error, FileError
from ._features import FeatureOptions, OnlineFeatures, compute_features
from ._io import read_ark, read_audio, write_ark
from ._recognizer import Decoding, KeywordSpotter, Recognizer, Result, Stream, Word

__all__ = ["__version__", "Error", "FileError", "FeatureOptions", "OnlineFeatures", "compute_features",
           "read_audio", "read_ark", "write_ark", "Recognizer", "Decoding", "Result", "Word", "Stream",
           "KeywordSpotter"]
