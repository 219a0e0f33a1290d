"""The results table: one row per recorded evaluation (`evaluate --record`), kept in
models/results.json, rendered into README.md between the results markers."""
from __future__ import annotations

import json
import os

from . import LABELS

RESULTS = os.path.join("models", "results.json")
# In-browser ms per face, written by `npm run bench:models`: the shipped models, and every
# recorded run (exported to a scratch folder, see the README's results section).
SPEED_FILES = [os.path.join("models", "speed.json"), os.path.join("models", "speed-runs.json")]
START, END = "<!-- results:start -->", "<!-- results:end -->"
SHORT = {"angry": "ang", "disgust": "dis", "fear": "fea", "happy": "hap", "sad": "sad", "surprise": "sur",
         "neutral": "neu"}


def record(name: str, entry: dict, path: str = RESULTS) -> None:
    results = json.load(open(path)) if os.path.exists(path) else {}
    results[name] = entry
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as handle:
        json.dump(dict(sorted(results.items())), handle, indent=1)


def table(results: dict, speed: dict) -> str:
    head = ["run", "architecture", "params", "size", "PublicTest acc", "+flip", "macro-F1",
            "recall " + " / ".join(SHORT[n] for n in LABELS), "ms/face (browser)", "command"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, r in sorted(results.items(), key=lambda kv: -kv[1]["single"]["accuracy"]):
        recall = " / ".join(f"{r['single']['recall'][n] * 100:.0f}" for n in LABELS)
        ms = speed.get(name, {}).get("msPerFace")
        rows.append("| " + " | ".join([
            name, r["architecture"], f"{r['parameters']:,}", f"{r['sizeBytes'] / 1024:.0f} KB",
            f"{r['single']['accuracy'] * 100:.2f}%", f"{r['flip']['accuracy'] * 100:.2f}%",
            f"{r['single']['macro_f1']:.3f}", recall, f"{ms:.2f}" if ms is not None else "n/a",
            f"`{r['command']}`" + rebuild_note(r)]) + " |")
    return "\n".join(rows)


def rebuild_note(r: dict) -> str:
    """A distilled run is rebuilt after its teachers, a soup after its ingredients: name their
    runs (rows of this table)."""
    notes = []
    for key in ("ingredients", "teachers"):
        runs = list(dict.fromkeys(os.path.basename(os.path.dirname(t["checkpoint"])) for t in r.get(key) or []))
        if runs:
            notes.append(f"after its {key}: {', '.join(runs)}")
    return f" ({'; '.join(notes)})" if notes else ""


def render(readme: str = "README.md", results_path: str = RESULTS, speed_files: list[str] = SPEED_FILES) -> str:
    results = json.load(open(results_path)) if os.path.exists(results_path) else {}
    speed = {}
    for path in speed_files:
        if os.path.exists(path):
            for name, entry in json.load(open(path)).get("models", {}).items():
                speed.setdefault(entry.get("run") or name, entry)  # keyed by training run
    text = open(readme).read()
    if START not in text or END not in text:
        raise SystemExit(f"{readme} has no {START} ... {END} markers")
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    body = table(results, speed) if results else "_no recorded evaluations yet_"
    with open(readme, "w") as handle:
        handle.write(f"{before}{START}\n{body}\n{END}{after}")
    return body
