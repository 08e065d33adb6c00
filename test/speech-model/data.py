"""Training and held-out data: synthetic German voices only.

espeak-ng (German, every voice variant but the held-out ones, speed 80-260,
pitch 0-99) and the project's Pico voice (through test/speech-model/
pico-words.ts, at a few fixed speeds) speak

  * each word alone: trimmed by energy and joined with random silences, so
    the word boundaries are exact (stage 1 of training starts from these);
  * natural digit sentences ("vier fünf, null zwo"), whose boundaries come
    from forced alignment later.

Every utterance is then augmented (vocal-tract-length-like resampling, gain,
noise at 15-50 dB SNR for most, then for some a telephone channel: 8 kHz
G.711 mu-law with or without dither), rounded to 16 kHz int16 exactly as
libvosk will see it, and turned into Kaldi MFCCs.
"""

import json
import math
import os
import random
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import torch
import torchaudio

from lexicon import WORDS

RATE = 16000

# conf/mfcc.conf of the exported model; the features here must be exactly these.
MFCC_CONF = {
    "sample-frequency": "16000",
    "use-energy": "false",
    "num-ceps": "13",
    "num-mel-bins": "23",
    "low-freq": "20",
    "high-freq": "0",
    "dither": "0",
}

# Voice variants that never speak in training: the held-out set uses them
# (every 7th of espeak-ng 1.51's sorted variant list, starting at the 4th).
HELDOUT_VARIANTS = [
    "Andy",
    "Gene2",
    "Michael",
    "Storm",
    "antonio",
    "david",
    "f4",
    "iven2",
    "klatt3",
    "m3",
    "max",
    "quincy",
    "robosoft5",
    "steph2",
]
# Pico speeds (Sonic rate factors) used in training; the held-out set uses others.
PICO_TRAIN_RATES = [0.6, 0.75, 0.9, 1.0, 1.2, 1.45, 1.7]
PICO_HELDOUT_RATES = [0.68, 0.82, 1.1, 1.32, 1.58]

SOX_TO_16K = ["sox", "-D", "-t", "wav", "-", "-r", "16000", "-c", "1", "-b", "16",
              "-e", "signed-integer", "-t", "raw", "-"]


def espeak_variants():
    out = subprocess.run(["espeak-ng", "--voices=variant"], check=True,
                         capture_output=True, text=True).stdout
    names = []
    for line in out.splitlines()[1:]:
        cols = line.split()
        if len(cols) >= 5 and cols[4].startswith("!v/"):
            names.append(cols[4][3:])
    return sorted(set(names))


def espeak_args(text, variant, speed, pitch):
    """Same arguments as test/fixtures/digits-speech.ts espeakArgs()."""
    args = ["espeak-ng", "-v", f"de+{variant}" if variant else "de"]
    if speed is not None:
        args += ["-s", str(int(round(speed)))]
    if pitch is not None:
        args += ["-p", str(int(round(pitch)))]
    return args + ["--stdout", text]


def espeak_pcm(text, variant, speed, pitch):
    wav = subprocess.run(espeak_args(text, variant, speed, pitch), check=True,
                         capture_output=True).stdout
    raw = subprocess.run(SOX_TO_16K, input=wav, check=True, capture_output=True).stdout
    return np.frombuffer(raw[: len(raw) // 2 * 2], dtype="<i2").astype(np.int16)


def synthesize(jobs, repo_root, workers=2):
    """jobs: list of dicts {engine: espeak|pico, text, variant, speed, pitch, rate}.
    Returns a list of int16 arrays (16 kHz), in job order. Duplicate jobs are
    synthesised once."""
    keys = [json.dumps(j, sort_keys=True, ensure_ascii=False) for j in jobs]
    unique = sorted(set(keys))
    results = {}
    pico = [k for k in unique if json.loads(k)["engine"] == "pico"]
    espeak = [k for k in unique if json.loads(k)["engine"] == "espeak"]
    if pico:
        with tempfile.TemporaryDirectory(prefix="lotse-pico-") as tmp:
            pico_jobs = []
            for i, k in enumerate(pico):
                j = json.loads(k)
                pico_jobs.append({"text": j["text"], "rate": j["rate"],
                                  "out": os.path.join(tmp, f"{i}.raw")})
            jobs_file = os.path.join(tmp, "jobs.json")
            with open(jobs_file, "w", encoding="utf-8") as f:
                json.dump(pico_jobs, f, ensure_ascii=False)
            subprocess.run(["npx", "--no-install", "tsx", "test/speech-model/pico-words.ts",
                            jobs_file], cwd=repo_root, check=True, stdout=subprocess.DEVNULL)
            for k, pj in zip(pico, pico_jobs):
                results[k] = np.fromfile(pj["out"], dtype="<i2").astype(np.int16)

    def one(k):
        j = json.loads(k)
        return k, espeak_pcm(j["text"], j.get("variant"), j.get("speed"), j.get("pitch"))

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for k, pcm in pool.map(one, espeak):
            results[k] = pcm
    return [results[k] for k in keys]


def trim(pcm, margin_ms=10, floor_db=45.0):
    """Cuts leading and trailing silence: keeps from the first to the last 10 ms
    frame within floor_db of the loudest frame, plus a small margin."""
    x = pcm.astype(np.float64)
    hop = RATE // 100
    n = len(x) // hop
    if n == 0:
        return pcm
    energy = (x[: n * hop].reshape(n, hop) ** 2).mean(axis=1) + 1e-3
    db = 10 * np.log10(energy)
    active = np.nonzero(db > db.max() - floor_db)[0]
    margin = margin_ms * RATE // 1000
    start = max(0, active[0] * hop - margin)
    end = min(len(pcm), (active[-1] + 1) * hop + margin)
    return pcm[start:end]


def random_sentence(rng, min_len=1, max_len=8):
    """A natural digit sentence: mostly digits, sometimes ja/nein, sometimes a comma."""
    n = rng.choice(range(min_len, max_len + 1))
    digits = [w for w in WORDS if w not in ("ja", "nein")]
    words = []
    for i in range(n):
        if rng.random() < 0.12:
            words.append(rng.choice(["ja", "nein"]))
        else:
            words.append(rng.choice(digits))
    text = ""
    for i, w in enumerate(words):
        if i > 0:
            text += ", " if rng.random() < 0.15 else " "
        text += w
    return words, text


# ----------------------------------------------------------------- augmentation

def vtlp(x, factor):
    """Treats 16 kHz audio as if it had been recorded at 16 kHz * factor and
    resamples it to 16 kHz: formants and pitch rise by `factor`, the duration
    shrinks by it (a shorter or longer vocal tract, a faster or slower talker)."""
    if abs(factor - 1.0) < 1e-6:
        return x
    orig = int(round(RATE * factor / 100.0)) * 100
    y = torchaudio.functional.resample(torch.from_numpy(x.astype(np.float32)), orig, RATE)
    return y.numpy().astype(np.float64)


def telephone(x, nrng, dither):
    """16 kHz -> 8 kHz G.711 mu-law -> 16 kHz, as a call through a telephone
    network: no energy above 4 kHz, quantisation noise, and (as sox or a codec
    adds it) `dither` LSB of noise, so silence is not digital zero any more."""
    t = torch.from_numpy(x.astype(np.float32))
    t8 = torchaudio.functional.resample(t, RATE, 8000)
    if dither > 0:
        tpdf = nrng.uniform(-0.5, 0.5, len(t8)) + nrng.uniform(-0.5, 0.5, len(t8))
        t8 = t8 + torch.from_numpy((dither * tpdf).astype(np.float32))
    peak = 32768.0
    mu = torchaudio.functional.mu_law_encoding(torch.clamp(t8 / peak, -1, 1), 256)
    t8 = torchaudio.functional.mu_law_decoding(mu, 256) * peak
    return torchaudio.functional.resample(t8, 8000, RATE).numpy().astype(np.float64)


def colored_noise(n, nrng, tilt):
    """Gaussian noise whose spectrum falls by `tilt` (0 = white, 1 = about pink)."""
    white = nrng.standard_normal(n)
    if tilt <= 0:
        return white
    spectrum = np.fft.rfft(white)
    f = np.arange(len(spectrum), dtype=np.float64)
    spectrum *= (1.0 + f / (0.01 * len(spectrum))) ** (-0.5 * tilt)
    return np.fft.irfft(spectrum, n)


def augment(pcm, seed, cfg):
    """pcm int16 -> augmented int16, decided by `seed` alone (so it can run in
    any worker process and still be reproducible)."""
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    x = pcm.astype(np.float64)
    x = vtlp(x, rng.uniform(0.9, 1.1))
    peak = np.max(np.abs(x)) + 1e-9
    target_db = rng.uniform(-30.0, -1.0)
    x *= (32767.0 * 10 ** (target_db / 20.0)) / peak
    if rng.random() < cfg["noise_prob"]:
        active = np.abs(x) > 0.05 * np.max(np.abs(x))
        speech_rms = math.sqrt(np.mean(x[active] ** 2)) if active.any() else 1.0
        snr_db = rng.uniform(15.0, 50.0)
        noise = colored_noise(len(x), nrng, rng.uniform(0.0, 1.0))
        noise *= speech_rms * 10 ** (-snr_db / 20.0) / (math.sqrt(np.mean(noise ** 2)) + 1e-9)
        x = x + noise
    if rng.random() < cfg["telephone_prob"]:
        x = telephone(x, nrng, rng.choice([0.0, rng.uniform(1.0, 8.0)]))
    return np.clip(np.round(x), -32768, 32767).astype(np.int16)


# ------------------------------------------------------------------- features

def mfcc(pcm):
    """Kaldi MFCC with exactly conf/mfcc.conf, on the int16 values (Kaldi does
    not scale them to [-1, 1])."""
    wave = torch.from_numpy(pcm.astype(np.float32))[None]
    if wave.shape[1] < 400:
        return np.zeros((0, 13), dtype=np.float32)
    feats = torchaudio.compliance.kaldi.mfcc(
        wave,
        sample_frequency=16000.0,
        use_energy=False,
        num_ceps=13,
        num_mel_bins=23,
        low_freq=20.0,
        high_freq=0.0,
        dither=0.0,
        energy_floor=0.0,
    )
    return feats.numpy().astype(np.float32)


def num_frames(num_samples):
    """Kaldi's frame count with snip-edges=true (25 ms window, 10 ms shift)."""
    return 0 if num_samples < 400 else 1 + (num_samples - 400) // 160


def frame_of_sample(sample):
    """Frame whose centre (sample 160 t + 200) is nearest `sample`."""
    return int(round((sample - 200) / 160.0))


def featurize(spec):
    """Worker: one utterance spec -> (features, frame labels or None).

    spec = (pcm int16, augmentation seed, cfg, spans, units) where spans are
    (word index, first sample, end sample) of exactly known words (or None)
    and units[word index] their unit ids; labels then spread each word's
    units evenly over its frames (stage 1's "uniform alignment")."""
    pcm, seed, cfg, spans, units = spec
    torch.set_num_threads(1)
    y = augment(pcm, seed, cfg)
    feats = mfcc(y)
    if spans is None:
        return feats, None
    scale = len(y) / len(pcm)
    labels = np.zeros(len(feats), np.int64)  # silence = pdf 0
    for wi, a, b in spans:
        f0 = max(0, frame_of_sample(a * scale))
        f1 = min(len(feats), frame_of_sample(b * scale) + 1)
        n = f1 - f0
        u = units[wi]
        for j, unit in enumerate(u):
            labels[f0 + (j * n) // len(u): f0 + ((j + 1) * n) // len(u)] = unit - 1
    return feats, labels
