"""The model's words, their pronunciations and the acoustic units.

Pronunciations are espeak-ng 1.51's German phonemes (`espeak-ng -v de -q -x
--sep=' ' WORD`, stress marks removed), written out here so the unit inventory
does not change with the espeak-ng version. Every phoneme of every word gets
two units of its own (first and second half), nothing is shared between
words; unit (Kaldi "phone") 1 is silence. 44 phonemes -> 88 word units + 1.
"""

WORDS = [
    "null",
    "eins",
    "zwei",
    "zwo",
    "drei",
    "vier",
    "fünf",
    "sechs",
    "sieben",
    "acht",
    "neun",
    "ja",
    "nein",
]

PRONUNCIATIONS = {
    "null": ["n", "U", "l"],
    "eins": ["_|", "aI", "n", "s"],
    "zwei": ["ts", "v", "aI"],
    "zwo": ["ts", "v", "o:"],
    "drei": ["d", "r", "aI"],
    "vier": ["f", "i:", "r"],
    "fünf": ["f", "y", "n", "f"],
    "sechs": ["z", "E", "k", "s"],
    "sieben": ["z", "i:", "b", "@", "n"],
    "acht": ["_!", "a", "x", "t"],
    "neun": ["n", "OY", "n"],
    "ja": ["j", "A:"],
    "nein": ["n", "aI", "n"],
}

UNITS_PER_PHONEME = 2
SILENCE_PHONE = 1  # Kaldi phone id of silence; its pdf (network output) is 0


def build_units():
    """Returns (phone_names, word_units): phone_names[p] for Kaldi phone p
    (index 0 = <eps>), word_units[word] = list of Kaldi phone ids."""
    names = ["<eps>", "SIL"]
    word_units = {}
    for word in WORDS:
        ids = []
        for k, ph in enumerate(PRONUNCIATIONS[word]):
            for half in range(UNITS_PER_PHONEME):
                ids.append(len(names))
                names.append(f"{word}_{k}{ph}_{half}")
        word_units[word] = ids
    return names, word_units


PHONE_NAMES, WORD_UNITS = build_units()
NUM_PDFS = len(PHONE_NAMES) - 1  # one pdf per phone: phone p -> pdf p - 1
assert NUM_PDFS == 89, NUM_PDFS
