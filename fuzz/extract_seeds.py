#!/usr/bin/env python3
"""Writes the C++ string literals of test sources that match a pattern, one file each, into a
fuzzing corpus dir: the tests' queries become seeds (used by scripts/fuzz).

usage: extract_seeds.py --match REGEX OUT_DIR SOURCE...
Adjacent literals ("a" "b") are joined as the compiler joins them; escapes are resolved.
"""
import argparse
import hashlib
import os
import re
import sys

_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v",
                   "a": "\a", "\\": "\\", "'": "'", '"': '"', "?": "?"}


def _read_escape(text, pos):
    """The character of the escape at text[pos] (just after the backslash), and the next pos."""
    c = text[pos]
    if c in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[c], pos + 1
    if c == "x":
        digits = re.match(r"[0-9a-fA-F]+", text[pos + 1:]).group(0)
        return chr(int(digits, 16)), pos + 1 + len(digits)
    digits = re.match(r"[0-7]{1,3}", text[pos:]).group(0)
    return chr(int(digits, 8)), pos + len(digits)


def string_literals(text):
    """Every string literal of a C++ source, adjacent ones joined, comments skipped."""
    literals, current, pos, in_run = [], [], 0, False
    while pos < len(text):
        c = text[pos]
        if text.startswith("//", pos):
            pos = text.find("\n", pos) % (len(text) + 1)
            if pos == 0:
                break
        elif text.startswith("/*", pos):
            pos = text.index("*/", pos) + 2
        elif c == "'":  # a character literal: skip it
            pos += 2 if text[pos + 1] != "\\" else 3
            pos = text.index("'", pos) + 1
        elif text.startswith('R"', pos):
            delimiter = text[pos + 2:text.index("(", pos)]
            end = text.index(")" + delimiter + '"', pos)
            current.append(text[text.index("(", pos) + 1:end])
            pos, in_run = end + len(delimiter) + 2, True
        elif c == '"':
            pos += 1
            while text[pos] != '"':
                if text[pos] == "\\":
                    character, pos = _read_escape(text, pos + 1)
                    current.append(character)
                else:
                    current.append(text[pos])
                    pos += 1
            pos, in_run = pos + 1, True
        elif c.isspace():
            pos += 1
        else:
            if in_run:
                literals.append("".join(current))
                current, in_run = [], False
            # An identifier ending in R/u8/L (a prefix) must not make its quote look raw.
            match = re.match(r"[A-Za-z_0-9]+", text[pos:])
            pos += len(match.group(0)) if match else 1
    if in_run:
        literals.append("".join(current))
    return literals


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--match", required=True, help="keep literals this regex matches at their start")
    parser.add_argument("out_dir")
    parser.add_argument("sources", nargs="+")
    args = parser.parse_args()
    pattern = re.compile(args.match)
    os.makedirs(args.out_dir, exist_ok=True)
    written = set()
    for source in args.sources:
        with open(source, encoding="utf-8") as f:
            for literal in string_literals(f.read()):
                if not pattern.match(literal):
                    continue
                data = literal.encode("utf-8", "surrogateescape")
                name = hashlib.sha1(data).hexdigest()
                with open(os.path.join(args.out_dir, name), "wb") as out:
                    out.write(data)
                written.add(name)
    print(f"{len(written)} seed inputs from {len(args.sources)} file(s) in {args.out_dir}")
    return 0 if written else 1


if __name__ == "__main__":
    sys.exit(main())
