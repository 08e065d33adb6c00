"""Writes the trained network as a Vosk model folder that libvosk 0.3.39 loads.

  am/final.mdl                     TransitionModel + nnet3 AmNnetSimple, Kaldi text format
  graph/HCLG.fst                   OpenFst binary VectorFst (what libvosk reads), made by hand
  graph/words.txt                  word symbols
  graph/phones.txt                 unit names (for people; libvosk does not read it)
  graph/phones/word_boundary.int   without it libvosk aborts on some utterances
  conf/mfcc.conf, conf/model.conf
  README.md                        how it was made

The same file-format facts as test/fixtures/synthetic-vosk-model.ts (see
there): the `<Nnet3> ` line needs its trailing space, the FST
header is magic 2125659606 / "vector" / "standard" / version 2, and the
endpoint silence phones must not be empty.
"""

import math
import os
import struct

from data import MFCC_CONF
from lexicon import NUM_PDFS, PHONE_NAMES, SILENCE_PHONE, WORD_UNITS, WORDS
from model import CONTEXT

WORD_PENALTY = 5.0  # graph cost of starting a word (tropical, -log)


def tid_loop(phone):
    """Transition ids of the 1-state topology: per phone its self-loop, then its exit."""
    return 2 * phone - 1


def tid_forward(phone):
    return 2 * phone


def fmt_row(values):
    return " ".join("%.6g" % v for v in values)


def matrix(rows):
    lines = ["["]
    lines += ["  " + fmt_row(r) for r in rows]
    lines[-1] += " ]"
    return "\n".join(lines)


def final_mdl(layers, priors):
    """layers: [(W (out x in), b)] of the folded network, all but the last followed by ReLU."""
    num_phones = NUM_PDFS
    out = [
        "<TransitionModel> ",
        "<Topology> ",
        "<TopologyEntry> ",
        "<ForPhones> ",
        " ".join(str(p) for p in range(1, num_phones + 1)) + " ",
        "</ForPhones> ",
        "<State> 0 <PdfClass> 0 <Transition> 0 0.5 <Transition> 1 0.5 </State> ",
        "<State> 1 </State> ",
        "</TopologyEntry> ",
        "</Topology> ",
        f"<Triples> {num_phones} ",
    ]
    out += [f"{p} 0 {p - 1} " for p in range(1, num_phones + 1)]
    out += [
        "</Triples> ",
        "<LogProbs> ",
        " [ 0 " + " ".join(["%.6f" % math.log(0.5)] * (2 * num_phones)) + " ]",
        "</LogProbs> ",
        "</TransitionModel> ",
        "<Nnet3> ",  # the trailing space matters
        "input-node name=input dim=13",
    ]
    spliced = ",".join(
        "input" if o == 0 else f"Offset(input,{o})" for o in range(-CONTEXT, CONTEXT + 1)
    )
    previous = f"Append({spliced})"
    components = []
    for i, (w, b) in enumerate(layers, start=1):
        out.append(f"component-node name=affine{i} component=affine{i} input={previous}")
        components.append(
            f"<ComponentName> affine{i} <FixedAffineComponent> <LinearParams> "
            + matrix(w)
            + f"\n<BiasParams> [ {fmt_row(b)} ]\n</FixedAffineComponent> "
        )
        previous = f"affine{i}"
        name, kind = (f"relu{i}", "RectifiedLinearComponent") if i < len(layers) else (
            "logsoftmax", "LogSoftmaxComponent")
        out.append(f"component-node name={name} component={name} input={previous}")
        components.append(
            f"<ComponentName> {name} <{kind}> <Dim> {len(b)} <ValueAvg> [ ] <DerivAvg> [ ] "
            f"<Count> 0 <NumDimsSelfRepaired> 0 <NumDimsProcessed> 0 </{kind}> "
        )
        previous = name
    out.append(f"output-node name=output input={previous}")
    out.append("")
    out.append(f"<NumComponents> {len(components)} ")
    out += components
    out.append("</Nnet3> ")
    out.append(
        f"<LeftContext> {CONTEXT} <RightContext> {CONTEXT} <Priors> [ {fmt_row(priors)} ]"
    )
    out.append("")
    return "\n".join(out)


def hclg_states():
    """The decoding graph as a list of states, each a list of (ilabel, olabel, weight, next).

    State 0 is the hub: start and final. From the hub (and from silence and from
    the end of every word) the decoder may enter silence or any word. A word
    is its units in a row; every unit lasts at least 2 frames: its forward
    transition-id first (Kaldi's reordered HMM), then one obligatory and any
    number of further self-loops. Entering a word emits the word and costs
    WORD_PENALTY.
    """
    states = [[]]  # 0: hub
    finals = {0}
    sil = 1
    states.append([])  # 1: in silence
    finals.add(sil)
    word_ends = []
    entries = []  # (first_state_of_word, word_id, first_unit)
    for word_id, word in enumerate(WORDS, start=1):
        units = WORD_UNITS[word]
        first_a = None
        prev_b = None
        for u in units:
            a = len(states)
            states.append([])
            b = len(states)
            states.append([])
            states[a].append((tid_loop(u), 0, 0.0, b))
            states[b].append((tid_loop(u), 0, 0.0, b))
            if prev_b is None:
                first_a = a
            else:
                states[prev_b].append((tid_forward(u), 0, 0.0, a))
            prev_b = b
        word_ends.append(prev_b)
        finals.add(prev_b)
        entries.append((first_a, word_id, units[0]))
    for s in [0, sil] + word_ends:
        if s != sil:
            states[s].append((tid_forward(SILENCE_PHONE), 0, 0.0, sil))
        for first_a, word_id, first_unit in entries:
            states[s].append((tid_forward(first_unit), word_id, WORD_PENALTY, first_a))
    states[sil].insert(0, (tid_loop(SILENCE_PHONE), 0, 0.0, sil))
    return states, finals


def vector_fst(states, finals):
    """OpenFst binary VectorFst<StdArc>: FstHeader, then per state final weight + arcs."""
    parts = []
    def s(text):
        data = text.encode("latin1")
        parts.append(struct.pack("<i", len(data)) + data)
    num_arcs = sum(len(a) for a in states)
    parts.append(struct.pack("<i", 2125659606))
    s("vector")
    s("standard")
    parts.append(struct.pack("<i", 2))  # file version
    parts.append(struct.pack("<i", 0))  # flags: no symbol tables
    parts.append(struct.pack("<Q", 0x3))  # properties: kExpanded | kMutable
    parts.append(struct.pack("<q", 0))  # start state
    parts.append(struct.pack("<q", len(states)))
    parts.append(struct.pack("<q", num_arcs))
    for i, arcs in enumerate(states):
        parts.append(struct.pack("<f", 0.0 if i in finals else math.inf))
        parts.append(struct.pack("<q", len(arcs)))
        for ilabel, olabel, weight, nxt in arcs:
            parts.append(struct.pack("<iifi", ilabel, olabel, weight, nxt))
    return b"".join(parts)


def word_boundary():
    lines = [f"{SILENCE_PHONE} nonword"]
    for word in WORDS:
        units = WORD_UNITS[word]
        for i, u in enumerate(units):
            kind = "begin" if i == 0 else "end" if i == len(units) - 1 else "internal"
            lines.append(f"{u} {kind}")
    return "\n".join(lines) + "\n"


MODEL_CONF = [
    "--min-active=200",
    "--max-active=3000",
    "--beam=13.0",
    "--lattice-beam=6.0",
    "--acoustic-scale=1.0",
    # One decoder frame per 10 ms feature frame. libvosk 0.3.39 reports word
    # times as if frames were 30 ms, so its word times are 3x too large; text,
    # endpointing and confidences are right.
    "--frame-subsampling-factor=1",
    f"--endpoint.silence-phones={SILENCE_PHONE}",
    "--endpoint.rule2.min-trailing-silence=0.5",
    "--endpoint.rule3.min-trailing-silence=1.0",
    "--endpoint.rule4.min-trailing-silence=2.0",
]


def write_model(out_dir, layers, priors, readme):
    files = {
        "am/final.mdl": final_mdl(layers, priors),
        "graph/HCLG.fst": vector_fst(*hclg_states()),
        "graph/words.txt": "<eps> 0\n" + "".join(f"{w} {i}\n" for i, w in enumerate(WORDS, 1)),
        "graph/phones.txt": "".join(f"{n} {i}\n" for i, n in enumerate(PHONE_NAMES)),
        "graph/phones/word_boundary.int": word_boundary(),
        "conf/mfcc.conf": "".join(f"--{k}={v}\n" for k, v in MFCC_CONF.items()),
        "conf/model.conf": "\n".join(MODEL_CONF) + "\n",
        "README.md": readme,
    }
    for rel, content in files.items():
        path = os.path.join(out_dir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        mode = "wb" if isinstance(content, bytes) else "w"
        with open(path, mode, **({} if mode == "wb" else {"encoding": "utf-8", "newline": "\n"})) as f:
            f.write(content)
