"""Models: classification, transcription, streaming recognition and keyword
spotting, as `auris classify`, `auris transcribe` and `auris live` run them."""
import json
import os
from typing import List, NamedTuple

from . import _auris
from ._errors import Error, FileError, file_errors


Decoding = _auris.Decoding
Decoding.__module__ = "auris"


class Word(NamedTuple):
    """A transcribed word: times in seconds from the start, conf in (0, 1]."""
    word: str
    start: float
    end: float
    conf: float


class Result(NamedTuple):
    """A transcript: the words joined by spaces, and each word with its times."""
    text: str
    words: List[Word]


class Stream:
    """Audio fed as it arrives, results as events: the dicts `auris live
    --json` prints. A CTC model gives {"type": "partial"|"final", "text",
    "start", "end"} (finals add "score" and "words"); a classifier gives
    {"type": "keyword", "label", "score", "start", "end", "emitted"}.
    Many streams can share one Recognizer; each holds its own state.
    """

    def __init__(self, impl, sample_rate):
        self._impl = impl
        self.sample_rate = sample_rate

    def accept_waveform(self, sample_rate, samples):
        """Appends samples (float in [-1, 1] or int16; one rate per stream,
        resampled to the model's) and runs every frame now complete. The GIL
        is released meanwhile."""
        self._impl.accept_waveform(float(sample_rate), samples)

    def input_finished(self):
        """No more audio: decodes the last frames (the final transcript)."""
        self._impl.input_finished()

    def events(self):
        """Yields the events produced since the last call, oldest first."""
        for line in self._impl.take_events():
            yield json.loads(line)

    def reset(self):
        """Starts over: a fresh stream on the same model, pending events dropped."""
        self._impl.reset()

    @property
    def seconds_seen(self):
        """Audio accepted since the start (or the last reset), in seconds."""
        return self._impl.seconds_seen


def _lm_arguments(lm):
    """(lm path, no_lm) of the lm argument: True = the model's, None/False =
    none, a path = that ARPA file."""
    if lm is True:
        return "", False
    if lm is None or lm is False:
        return "", True
    if isinstance(lm, (str, os.PathLike)):
        path = os.fspath(lm)
        if not path:
            raise Error("lm: empty path (True: the model's LM, None: no LM)")
        return path, False
    raise TypeError(f"lm: expected True, None or the path of an ARPA file, got {type(lm).__name__}")


class Recognizer:
    """A model file loaded for inference, with the features it was trained on.

    >>> rec = auris.Recognizer("data/models/digits-ctc.safetensors")
    >>> rec.transcribe(*auris.read_audio("data/samples/zero_nine.wav")).text
    'zero nine'

    Samples are float in [-1, 1] or int16, at any rate: other rates than the
    model's (sample_rate) are resampled (soxr), as the CLI resamples files.
    One Recognizer may serve many threads and streams at once; its calls
    release the GIL. Raises auris.FileError for a missing or invalid model
    file.
    """

    def __init__(self, model_path):
        self.path = os.fspath(model_path)
        self._impl = file_errors(_auris.Recognizer, self.path)
        self._decodings = {}

    @property
    def labels(self):
        """The network's output labels (a CTC model's first is the blank)."""
        return self._impl.labels

    @property
    def class_labels(self):
        """What classify chooses from: a classifier's labels, a word-unit CTC
        model's words; empty for a character CTC model."""
        return self._impl.class_labels

    @property
    def sample_rate(self):
        """The model's sample rate in Hz (other rates are resampled)."""
        return self._impl.sample_rate

    @property
    def task(self):
        """"classify" or "ctc"."""
        return self._impl.task

    def decoding(self, beam=None, lm=True, lm_weight=None, word_bonus=None):
        """The decoding transcribe and create_stream use with these arguments:
        an object with beam, has_lm, lm_weight and word_bonus. The defaults
        are the model file's own (auris attach-lm stores a beam and an LM);
        the arguments override them as the CLI's --beam, --lm / --no-lm,
        --lm-weight and --word-bonus do. An ARPA file is read once per
        Recognizer."""
        self._check_ctc()
        lm_path, no_lm = _lm_arguments(lm)
        key = (beam, lm_path, no_lm, lm_weight, word_bonus)
        if key not in self._decodings:
            try:
                self._decodings[key] = self._impl.decoding(
                    None if beam is None else int(beam), lm_path, no_lm, _optional_float(lm_weight),
                    _optional_float(word_bonus))
            except Error as e:
                if lm_path and lm_path in str(e):  # the ARPA file: missing, unreadable, malformed
                    raise FileError(str(e)) from None
                raise
        return self._decodings[key]

    def classify(self, samples, sample_rate, top_k=1):
        """[(label, probability)] of the top_k labels, most probable first; as
        `auris classify` (VTLN warp search included when the model has one)."""
        return self._impl.classify(samples, float(sample_rate), int(top_k))

    def transcribe(self, samples, sample_rate, beam=None, lm=True, lm_weight=None, word_bonus=None):
        """Result(text, words) of a CTC model, as `auris transcribe`.

        beam: None = the model's (0 = greedy, N keeps N prefixes); lm: True =
        the model's word LM if it has one, None = no LM (--no-lm), or the path
        of an ARPA file (--lm); lm_weight, word_bonus: None = the model's.
        """
        decoding = self.decoding(beam, lm, lm_weight, word_bonus)
        text, words = self._impl.transcribe(samples, float(sample_rate), decoding)
        return Result(text, [Word(*w) for w in words])

    def create_stream(self, beam=None, lm=True, lm_weight=None, word_bonus=None, endpoint_ms=None,
                      max_utterance=None, keywords=None, **keyword_options):
        """A Stream. A CTC model transcribes (decoding as transcribe; an
        utterance ends after endpoint_ms of silence after its last word, or
        after max_utterance seconds; None: the CLI's defaults, 800 ms and
        30 s); with keywords (["WORD" or "WORD=LABEL", ...], as `auris live
        --keywords`) it also reports those words as keyword events once it is
        certain of them, those with a confidence of at least threshold (a
        keyword option; default 0). A classifier spots keywords
        (keyword_options as KeywordSpotter takes them)."""
        keyword_options = {k: v for k, v in keyword_options.items() if v is not None}
        ctc_keywords, ctc_threshold = None, 0.0
        if self.task == "ctc":
            if keywords is not None:
                ctc_keywords = [str(k) for k in keywords]
                ctc_threshold = float(keyword_options.pop("threshold", 0.0))
            if keyword_options:
                raise Error(f"{', '.join(keyword_options)}: keyword options need a classification model"
                            + ("" if keywords is not None else " (or keywords= for a CTC model's threshold)"))
            decoding = self.decoding(beam, lm, lm_weight, word_bonus)
        else:
            if beam is not None or lm is not True or lm_weight is not None or word_bonus is not None:
                raise Error(f"{self.path}: a classifier; beam and lm options need a CTC model")
            if keywords is not None:
                raise Error(f"{self.path}: a classifier; keywords= needs a CTC model (a classifier's keywords "
                            "are its labels)")
            decoding = _auris.Decoding()  # unused by a keyword spotter
        impl = _auris.Stream(self._impl, decoding, _optional_float(endpoint_ms), _optional_float(max_utterance),
                             _keyword_options(**keyword_options), ctc_keywords, ctc_threshold)
        return Stream(impl, self.sample_rate)

    def _check_ctc(self):
        if self.task != "ctc":
            raise Error(f"{self.path}: a classifier; use classify")

    def __repr__(self):
        return f"Recognizer({self.path!r}, task={self.task!r}, labels={len(self.labels)})"


def _optional_float(value):
    return None if value is None else float(value)


def _keyword_options(threshold=None, label_thresholds=None, smooth_ms=None, refractory_ms=None,
                     peak_wait_ms=None, window_ms=None, hop_ms=None, min_age_ms=None):
    options = _auris.KeywordSpotterOptions()
    given = dict(threshold=threshold, label_thresholds=label_thresholds, smooth_ms=smooth_ms,
                 refractory_ms=refractory_ms, peak_wait_ms=peak_wait_ms, window_ms=window_ms,
                 hop_ms=hop_ms, min_age_ms=min_age_ms)
    for name, value in given.items():
        if value is not None:
            setattr(options, name, value)
    return options


class KeywordSpotter(Stream):
    """Keyword spotting over a stream, as `auris live` does: events {"type":
    "keyword", "label", "score", "start", "end", "emitted"}.
    A classification model: threshold is the smoothed posterior that fires an
    event (None: the model's stored one, else the CLI's default);
    label_thresholds: {label: threshold}; the other options as the CLI's
    --smooth-ms, --refractory-ms, --peak-wait-ms, --window-ms, --hop-ms,
    --min-age-ms.
    A CTC model needs keywords (["WORD" or "WORD=LABEL", ...], as `auris live
    --keywords`): threshold is the lowest word confidence reported (None: 0);
    the other options as Recognizer.create_stream's (beam, lm, endpoint_ms, ...).
    The stream's partial and final transcripts are among the events too.
    """

    def __init__(self, model_path, threshold=None, keywords=None, **options):
        self.recognizer = Recognizer(model_path)
        if self.recognizer.task == "ctc" and keywords is None:
            raise _auris.Error(f"{self.recognizer.path}: a CTC model spots keywords=[...] among its words")
        stream = self.recognizer.create_stream(threshold=threshold, keywords=keywords, **options)
        super().__init__(stream._impl, self.recognizer.sample_rate)


__all__ = ["Recognizer", "Decoding", "Result", "Word", "Stream", "KeywordSpotter"]
