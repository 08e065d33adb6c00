#!/usr/bin/env python3
"""Trains the small German digits model on synthetic voices and exports it
as a Vosk model folder. See README.md beside this file.

    python3 test/speech-model/train.py --seed 1 --out test/fixtures/digits-model

Run from the repository root (Pico is driven through `npx tsx`).
"""

import argparse
import json
import math
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import time

try:
    import numpy as np
    import torch
    import torchaudio  # noqa: F401  (checked here, used in data.py)
except ImportError:
    # Debian's python3-torch lives in the system interpreter; a pyenv/venv
    # python3 first on PATH does not see it.
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath(
        "/usr/bin/python3"
    ):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    sys.exit(
        "train.py needs numpy, torch and torchaudio: "
        "apt-get install -y python3-torch python3-torchaudio libopenblas0-pthread python3-numpy"
    )

# No __pycache__ inside the repository (here and in the worker processes).
sys.dont_write_bytecode = True
os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import data  # noqa: E402
import export  # noqa: E402
import model  # noqa: E402
from lexicon import NUM_PDFS, WORD_UNITS, WORDS  # noqa: E402

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HELDOUT_SEED = 7  # the held-out set does not change with --seed

AUG = {"noise_prob": 0.7, "telephone_prob": 0.3}

T0 = time.time()


def log(msg):
    print(f"[{time.time() - T0:7.1f} s] {msg}", flush=True)


# ---------------------------------------------------------------- held-out set

def heldout_set():
    """Sentences and voices for the held-out test (never used in training)."""
    rng = random.Random(HELDOUT_SEED)
    texts = []
    seen = set()
    while len(texts) < 40:
        words, text = data.random_sentence(rng, 1, 7)
        if " ".join(words) not in seen:
            seen.add(" ".join(words))
            texts.append(text)
    items = []
    for i, variant in enumerate(data.HELDOUT_VARIANTS):
        for j in range(8):
            items.append({
                "engine": "espeak",
                "variant": variant,
                "speed": rng.randint(90, 250),
                "pitch": rng.randint(5, 95),
                "text": texts[(i * 8 + j) % len(texts)],
            })
    for i, rate in enumerate(data.PICO_HELDOUT_RATES):
        for j in range(12):
            items.append({"engine": "pico", "rate": rate, "text": texts[(i * 12 + j + 3) % len(texts)]})
    return items


def words_of(text):
    return text.replace(",", " ").split()


# ---------------------------------------------------------------- data

def voice_settings(rng, n, variants):
    settings = []
    for _ in range(n):
        if rng.random() < 0.25:
            settings.append({"engine": "pico", "rate": rng.choice(data.PICO_TRAIN_RATES)})
        else:
            settings.append({
                "engine": "espeak",
                "variant": rng.choice(variants),
                "speed": rng.randint(80, 260),
                "pitch": rng.randint(0, 99),
            })
    return settings


def job(setting, text):
    j = dict(setting)
    j["text"] = text
    return j


class Corpus:
    """Per utterance: MFCC features, words, frame labels (pdfs; None = not aligned yet)."""

    def __init__(self, feats, words, labels):
        self.feats = feats
        self.words = words
        self.labels = labels

    def __len__(self):
        return len(self.feats)


def build_corpus(args, rng, pool_ctx):
    variants = [v for v in data.espeak_variants() if v not in data.HELDOUT_VARIANTS]
    train_variants = variants + [None]  # None = espeak-ng's plain German voice
    settings = voice_settings(rng, args.settings, train_variants)
    log(f"{len(settings)} voice settings ({sum(s['engine'] == 'pico' for s in settings)} Pico), "
        f"{len(variants)} espeak-ng variants + plain voice")

    # Words alone.
    jobs = [job(s, w) for s in settings for w in WORDS]
    pcm = data.synthesize(jobs, REPO_ROOT, workers=args.threads)
    words_alone = [pcm[i * len(WORDS):(i + 1) * len(WORDS)] for i in range(len(settings))]
    log(f"synthesised {len(jobs)} single words")

    # Natural sentences (none equal to a held-out sentence).
    held = {" ".join(words_of(item["text"])) for item in heldout_set()}
    sentences = []
    while len(sentences) < args.sentences:
        words, text = data.random_sentence(rng)
        if " ".join(words) in held:
            continue
        sentences.append((len(sentences) % len(settings), words, text))
    pcm_sent = data.synthesize([job(settings[s], text) for s, _, text in sentences], REPO_ROOT,
                               workers=args.threads)
    log(f"synthesised {len(sentences)} sentences")

    units = [WORD_UNITS[w] for w in WORDS]
    specs, words_of_utt = [], []
    # Joined words: two utterances per voice setting, each word once, random
    # order, random silences; the word boundaries are exact.
    for si in range(len(settings)):
        trimmed = [data.trim(x) for x in words_alone[si]]
        order = list(range(len(WORDS)))
        rng.shuffle(order)
        for part in (order[:6], order[6:]):
            pieces = [np.zeros(int(rng.uniform(0.05, 0.5) * data.RATE), np.int16)]
            spans = []
            at = len(pieces[0])
            for k, wi in enumerate(part):
                if k > 0:
                    gap = 0.0 if rng.random() < 0.15 else rng.uniform(0.03, 0.6)
                    pieces.append(np.zeros(int(gap * data.RATE), np.int16))
                    at += len(pieces[-1])
                pieces.append(trimmed[wi])
                spans.append((wi, at, at + len(trimmed[wi])))
                at += len(trimmed[wi])
            pieces.append(np.zeros(int(rng.uniform(0.05, 0.5) * data.RATE), np.int16))
            specs.append((np.concatenate(pieces), rng.getrandbits(32), AUG, spans, units))
            words_of_utt.append([WORDS[wi] for wi in part])
    for (si, words, text), x in zip(sentences, pcm_sent):
        lead = np.zeros(int(rng.uniform(0.0, 0.4) * data.RATE), np.int16)
        tail = np.zeros(int(rng.uniform(0.0, 0.4) * data.RATE), np.int16)
        specs.append((np.concatenate([lead, x, tail]), rng.getrandbits(32), AUG, None, units))
        words_of_utt.append(words)
    with pool_ctx.Pool(args.threads) as pool:
        results = pool.map(data.featurize, specs, chunksize=16)
    corpus = Corpus([f for f, _ in results], words_of_utt, [l for _, l in results])
    frames = sum(len(f) for f in corpus.feats)
    log(f"features of {len(corpus)} utterances ({2 * len(settings)} of joined words), "
        f"{frames / 100 / 60:.1f} min of audio")
    return corpus, settings


# ---------------------------------------------------------------- training

def train(net, frames, labels, epochs, lr, gen, batch, label):
    """labels: int64 tensor per frame (-1 = not used)."""
    use = torch.nonzero(labels >= 0).squeeze(1)
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    steps = epochs * math.ceil(len(use) / batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps, pct_start=0.15)
    net.train()
    for epoch in range(epochs):
        perm = use[torch.randperm(len(use), generator=gen)]
        total, correct, loss_sum = 0, 0, 0.0
        for i in range(0, len(perm), batch):
            idx = perm[i:i + batch]
            x = frames.batch(idx)
            y = labels[idx]
            out = net(x)
            loss = torch.nn.functional.cross_entropy(out, y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            loss_sum += loss.item() * len(idx)
            correct += (out.argmax(1) == y).sum().item()
            total += len(idx)
        log(f"{label} epoch {epoch + 1}/{epochs}: loss {loss_sum / total:.3f}, "
            f"frame accuracy {correct / total:.3f}")
    net.eval()


def realign(pool_ctx, net, corpus, log_priors, workers):
    """Viterbi-aligns every utterance to its words with the current network."""
    state = {k: v.clone() for k, v in net.state_dict().items()}
    init = (state, net.mean[:13].numpy(), net.std[:13].numpy(), log_priors.numpy())
    with pool_ctx.Pool(workers, initializer=model.init_align_worker, initargs=init) as pool:
        alignments = pool.map(model.align_worker, zip(corpus.feats, corpus.words), chunksize=32)
    failed = sum(a is None for a in alignments)
    corpus.labels = alignments
    log(f"aligned {len(alignments) - failed} utterances ({failed} too short)")


def label_tensor(corpus):
    parts = []
    for f, l in zip(corpus.feats, corpus.labels):
        parts.append(l if l is not None else np.full(len(f), -1, np.int64))
    return torch.from_numpy(np.concatenate(parts))


def priors_of(labels):
    counts = torch.bincount(labels[labels >= 0], minlength=NUM_PDFS).double() + 1.0
    return counts / counts.sum()


# ---------------------------------------------------------------- main

def model_readme(command):
    """README.md of the model folder (Markdown that prettier leaves as it is)."""
    return (
        "# German digits model for Vosk\n\n"
        "null … neun, zwo, ja, nein; trained only on synthetic voices (espeak-ng, SVOX Pico) by\n"
        "Lotse `test/speech-model/train.py` (see the README there). Regenerate with:\n\n"
        f"```sh\n{command}\n```\n\n"
        "`heldout.json`: the held-out test set and the word error rate measured through libvosk.\n"
    )


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", required=True, help="model folder to (re)write")
    p.add_argument("--settings", type=int, default=750, help="voice settings (25 %% Pico)")
    p.add_argument("--sentences", type=int, default=5000, help="natural digit sentences")
    p.add_argument("--epochs", default="3,3,6", help="epochs of the three training stages")
    p.add_argument("--batch", type=int, default=4096, help="frames per training step")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--skip-eval", action="store_true", help="do not decode the held-out set")
    args = p.parse_args()
    epochs = [int(e) for e in args.epochs.split(",")]

    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    rng = random.Random(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    # Worker processes start fresh (no fork of a process with OpenMP threads).
    pool_ctx = multiprocessing.get_context("spawn")

    corpus, settings = build_corpus(args, rng, pool_ctx)
    frames = model.Frames(corpus.feats)
    mean = frames.x.mean(0).numpy()
    std = frames.x.std(0).clamp(min=1e-3).numpy()

    net = model.Net(mean, std)
    labels = label_tensor(corpus)
    train(net, frames, labels, epochs[0], 3e-3, gen, args.batch, "stage 1 (joined words, uniform)")
    for stage, lr in ((2, 3e-3), (3, 2e-3)):
        realign(pool_ctx, net, corpus, torch.log(priors_of(labels)).float(), args.threads)
        labels = label_tensor(corpus)
        train(net, frames, labels, epochs[stage - 1], lr, gen, args.batch,
              f"stage {stage} (all utterances, realigned)")
    priors = priors_of(labels).numpy()

    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    for rel in ("am", "graph", "conf"):
        shutil.rmtree(os.path.join(out, rel), ignore_errors=True)
    command = f"python3 test/speech-model/train.py --seed {args.seed} --out {os.path.relpath(out, REPO_ROOT)}"
    for name, default in (("settings", 750), ("sentences", 5000), ("epochs", "3,3,6"), ("batch", 4096)):
        if getattr(args, name) != default:
            command += f" --{name} {getattr(args, name)}"
    readme = model_readme(command)
    export.write_model(out, net.folded_layers(), priors, readme)
    train_seconds = time.time() - T0
    log(f"model written to {out}")

    heldout = {
        "description": (
            "Held-out test of the digits model: voices never used in training (espeak-ng variants "
            "held out of training, Pico at speeds not used in training), decoded through libvosk as "
            "synthesised and again through an 8 kHz G.711 mu-law telephone channel. Measured by "
            "test/speech-model/evaluate.ts; checked by test/unit/speech/digits-model.test.ts."
        ),
        "seed": args.seed,
        "command": command,
        "trainingSeconds": round(train_seconds),
        "training": {
            "voiceSettings": len(settings),
            "picoSettings": sum(s["engine"] == "pico" for s in settings),
            "sentences": args.sentences,
            "picoRates": data.PICO_TRAIN_RATES,
            "heldOutVariants": data.HELDOUT_VARIANTS,
        },
        "items": heldout_set(),
    }
    path = os.path.join(out, "heldout.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(heldout, f, ensure_ascii=False, indent=2)
        f.write("\n")
    if not args.skip_eval:
        subprocess.run(["npx", "--no-install", "tsx", "test/speech-model/evaluate.ts", path],
                       cwd=REPO_ROOT, check=True)
    log("done")


if __name__ == "__main__":
    main()
