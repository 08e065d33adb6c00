"""The acoustic model and forced alignment.

MLP: 13 MFCCs x 13 frames (t-6 ... t+6) -> 256 ReLU -> 256 ReLU -> 89
log-softmax (one output per unit, see lexicon.py). The input mean/std is part
of the model here and folded into the first affine layer on export, because
libvosk (without i-vectors) feeds raw MFCCs: no CMVN.
"""

import numpy as np
import torch

from lexicon import NUM_PDFS, WORD_UNITS

CONTEXT = 6  # frames of left and right context
OFFSETS = torch.arange(-CONTEXT, CONTEXT + 1)


class Net(torch.nn.Module):
    def __init__(self, mean, std, hidden=256, dropout=0.1):
        super().__init__()
        dim = 13 * (2 * CONTEXT + 1)
        self.register_buffer("mean", torch.tensor(np.tile(mean, 2 * CONTEXT + 1), dtype=torch.float32))
        self.register_buffer("std", torch.tensor(np.tile(std, 2 * CONTEXT + 1), dtype=torch.float32))
        self.l1 = torch.nn.Linear(dim, hidden)
        self.l2 = torch.nn.Linear(hidden, hidden)
        self.l3 = torch.nn.Linear(hidden, NUM_PDFS)
        self.drop = torch.nn.Dropout(dropout)

    def forward(self, x):
        x = (x - self.mean) / self.std
        x = self.drop(torch.relu(self.l1(x)))
        x = self.drop(torch.relu(self.l2(x)))
        return self.l3(x)

    def folded_layers(self):
        """[(W, b)] with the input normalisation folded into the first layer."""
        w1 = self.l1.weight.detach().double() / self.std.double()[None, :]
        b1 = self.l1.bias.detach().double() - w1 @ self.mean.double()
        layers = [(w1, b1)]
        for layer in (self.l2, self.l3):
            layers.append((layer.weight.detach().double(), layer.bias.detach().double()))
        return [(w.numpy(), b.numpy()) for w, b in layers]


def splice(feats):
    """(T, 13) -> (T, 169): frames t-6 ... t+6, the first/last frame repeated
    beyond the edges (what nnet3 does at the ends of an utterance)."""
    t = torch.arange(len(feats))
    ctx = (t[:, None] + OFFSETS[None, :]).clamp(0, len(feats) - 1)
    return feats[ctx].reshape(len(feats), -1)


class Frames:
    """All features in one tensor; a batch of global frame indices -> spliced inputs."""

    def __init__(self, feats_list):
        lengths = [len(f) for f in feats_list]
        self.x = torch.from_numpy(np.concatenate(feats_list)).float()
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
        self.utt_start = torch.from_numpy(np.repeat(starts, lengths))
        self.utt_end = torch.from_numpy(np.repeat(starts + np.array(lengths), lengths))

    def batch(self, idx):
        ctx = idx[:, None] + OFFSETS[None, :]
        ctx = torch.maximum(torch.minimum(ctx, self.utt_end[idx, None] - 1), self.utt_start[idx, None])
        return self.x[ctx].reshape(len(idx), -1)


def viterbi(ll, words):
    """Forced alignment of one utterance: optional silence, each word's units
    in order (each unit at least 2 frames, as in the decoding graph), optional
    silence between words and at the end. ll: (T, NUM_PDFS) log-likelihoods.
    Returns per-frame pdfs, or None if no path fits (utterance too short)."""
    pdf, loop, skip = [0], [True], [False]
    for k, w in enumerate(words):
        for j, u in enumerate(WORD_UNITS[w]):
            pdf += [u - 1, u - 1]  # first frame, then the looping part
            loop += [False, True]
            skip += [j == 0 and k > 0, False]  # a word may follow the last without silence
        pdf.append(0)
        loop.append(True)
        skip.append(False)
    pdf = np.array(pdf)
    loop = np.array(loop)
    skip = np.array(skip)
    S, T = len(pdf), len(ll)
    if T < 2:
        return None
    emit = ll[:, pdf]
    neg = -1e30
    delta = np.full(S, neg)
    delta[0] = emit[0, 0]
    delta[1] = emit[0, 1]
    back = np.zeros((T, S), np.int8)
    cand = np.empty((3, S))
    cols = np.arange(S)
    for t in range(1, T):
        cand[0] = np.where(loop, delta, neg)
        cand[1, 0] = neg
        cand[1, 1:] = delta[:-1]
        cand[2, :2] = neg
        cand[2, 2:] = np.where(skip[2:], delta[:-2], neg)
        choice = cand.argmax(axis=0)
        delta = cand[choice, cols] + emit[t]
        back[t] = choice
    s = S - 1 if delta[S - 1] >= delta[S - 2] else S - 2
    if delta[s] < neg / 2:
        return None
    states = np.empty(T, np.int64)
    for t in range(T - 1, -1, -1):
        states[t] = s
        s -= back[t, s]
    return pdf[states]


_worker_net = None
_worker_log_priors = None


def init_align_worker(state, mean, std, log_priors):
    global _worker_net, _worker_log_priors
    torch.set_num_threads(1)
    _worker_net = Net(mean, std)
    _worker_net.load_state_dict(state)
    _worker_net.eval()
    _worker_log_priors = torch.from_numpy(log_priors)


@torch.no_grad()
def align_worker(job):
    """Worker: (features, words) -> per-frame pdfs or None."""
    feats, words = job
    x = splice(torch.from_numpy(feats))
    ll = (torch.log_softmax(_worker_net(x), dim=1) - _worker_log_priors).numpy()
    return viterbi(ll, words)
