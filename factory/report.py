"""The results tables, both generated from models/: every recorded evaluation (`evaluate --record`,
kept in models/results.json) as the full table in docs/results.md, and the shipped models (each
models/NAME/ with a metadata.json, and the picker's "both" in models/blend.json) as the compact
table in README.md. `python3 -m factory report` rewrites both, each between its markers."""
from __future__ import annotations

import json
import os
import re

from . import LABELS

RESULTS = os.path.join("models", "results.json")
MODELS = "models"
README = "README.md"
RESULTS_DOC = os.path.join("docs", "results.md")
# In-browser ms per face, written by `npm run bench:models`: the shipped models, and every
# recorded run (exported to a scratch folder, see factory/README.md).
# speed.json: the models the app offers (its picker shows these); speed-seeds.json: the seed
# systems (`npm run bench:models -- --models <theirs> --out models/speed-seeds.json`);
# speed-runs.json: runs that were never shipped.
SPEED_FILES = [os.path.join("models", name) for name in ("speed.json", "speed-seeds.json", "speed-runs.json")]
START, END = "<!-- results:start -->", "<!-- results:end -->"
SHIPPED_START, SHIPPED_END = "<!-- shipped:start -->", "<!-- shipped:end -->"
SHORT = {"angry": "ang", "disgust": "dis", "fear": "fea", "happy": "hap", "sad": "sad", "surprise": "sur",
         "neutral": "neu"}
# The app's model picker (src/app/modelCatalog.ts): which shipped folder each choice loads.
PICKER = {"mini-xception": "fast", "attention": "accurate"}


def read(path: str) -> str:
    with open(path) as handle:
        return handle.read()


def record(name: str, entry: dict, path: str = RESULTS) -> None:
    results = json.loads(read(path)) if os.path.exists(path) else {}
    results[name] = entry
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as handle:
        json.dump(dict(sorted(results.items())), handle, indent=1)


def table(results: dict, speed: dict) -> str:
    """The full table: every recorded run, best single-pass accuracy first."""
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
    runs (rows of the full table)."""
    notes = []
    for key in ("ingredients", "teachers"):
        runs = list(dict.fromkeys(os.path.basename(os.path.dirname(t["checkpoint"])) for t in r.get(key) or []))
        if runs:
            notes.append(f"after its {key}: {', '.join(runs)}")
    return f" ({'; '.join(notes)})" if notes else ""


def run_name(command: str | None, option: str = "--name") -> str | None:
    """The run a factory command built: the last `--name` it names (a chained command
    `A && B --init-from A` built its model in the last run), as scripts/lib/bench-stats.mjs
    reads it for models/speed.json; for `evaluate --ship-blend`, the `--record` name."""
    names = re.findall(rf"{option}[ =](\S+)", command or "")
    return names[-1] if names else None


def shipped_models(models_dir: str = MODELS) -> list[tuple[str, dict]]:
    """(folder name, metadata) of every shipped model, fewest parameters first."""
    found = []
    for name in sorted(os.listdir(models_dir)) if os.path.isdir(models_dir) else []:
        path = os.path.join(models_dir, name, "metadata.json")
        if os.path.exists(path):
            found.append((name, json.loads(read(path))))
    return sorted(found, key=lambda item: (item[1].get("parameters", 0), item[0]))


def shipped_table(models_dir: str, results: dict, speed: dict) -> str:
    """The compact table: one row per shipped model and one for the picker's "both". Scores come
    from the run's row in models/results.json (the full table), or the export's own metadata when
    the run was never recorded; milliseconds from the speed files, keyed by run."""
    head = ["app choice", "shipped as", "run", "architecture", "params", "weights", "PublicTest acc", "+flip",
            "macro-F1", "ms/face (browser)"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    models = shipped_models(models_dir)
    by_name = dict(models)

    def scores(run: str | None, fallback: dict) -> dict:
        return results[run] if run in results else fallback

    def row(choice, where, run, architecture, params, size, s, ms) -> str:
        return "| " + " | ".join([
            choice, f"`{where}`", f"`{run}`" if run else "n/a", architecture, f"{params:,}", f"{size / 1024:.0f} KB",
            f"{s['single']['accuracy'] * 100:.2f}%", f"{s['flip']['accuracy'] * 100:.2f}%",
            f"{s['single']['macro_f1']:.3f}", ms]) + " |"

    ms_of = {}
    for name, meta in models:
        run = run_name(meta.get("training", {}).get("command"))
        ms = speed.get(run, {}).get("msPerFace") if run else None
        ms_of[name] = ms
        rows.append(row(PICKER.get(name, f"`?model={name}`"), f"models/{name}", run, meta.get("architecture", "?"),
                        meta["parameters"], meta["sizeBytes"], scores(run, meta["metrics"]),
                        f"{ms:.2f}" if ms is not None else "n/a"))
    blend_path = os.path.join(models_dir, "blend.json")
    if os.path.exists(blend_path):
        blend = json.loads(read(blend_path))
        parts = [by_name[n] for n in blend["models"] if n in by_name]
        if len(parts) == len(blend["models"]):
            times = [ms_of[n] for n in blend["models"]]
            run = run_name(blend.get("command"), "--record")
            rows.append(row("both (averaged)", "models/blend.json", run,
                            " + ".join(p.get("architecture", "?") for p in parts),
                            sum(p["parameters"] for p in parts), sum(p["sizeBytes"] for p in parts),
                            scores(run, blend["metrics"]),
                            " + ".join(f"{t:.2f}" for t in times) if None not in times else "n/a"))
    return "\n".join(rows) if len(rows) > 2 else "_no shipped models_"


def between(text: str, start: str, end: str, body: str, path: str) -> str:
    """`text` with `body` between the markers (which stay); refused unless each occurs once, in order."""
    if text.count(start) != 1 or text.count(end) != 1 or text.index(start) > text.index(end):
        raise SystemExit(f"{path} needs the markers {start} ... {end} once each, in that order")
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1]
    return f"{before}{start}\n{body}\n{end}{after}"


def load_speed(speed_files: list[str]) -> dict:
    speed = {}
    for path in speed_files:
        if os.path.exists(path):
            for name, entry in json.loads(read(path)).get("models", {}).items():
                speed.setdefault(entry.get("run") or name, entry)  # keyed by training run
    return speed


def rendered(readme: str = README, results_doc: str = RESULTS_DOC, results_path: str = RESULTS,
             speed_files: list[str] = SPEED_FILES, models_dir: str = MODELS) -> dict[str, str]:
    """The new text of each file the report writes (path -> text); writes nothing."""
    results = json.loads(read(results_path)) if os.path.exists(results_path) else {}
    speed = load_speed(speed_files)
    full = table(results, speed) if results else "_no recorded evaluations yet_"
    return {
        results_doc: between(read(results_doc), START, END, full, results_doc),
        readme: between(read(readme), SHIPPED_START, SHIPPED_END, shipped_table(models_dir, results, speed), readme),
    }


def render(readme: str = README, results_doc: str = RESULTS_DOC, results_path: str = RESULTS,
           speed_files: list[str] = SPEED_FILES, models_dir: str = MODELS) -> str:
    """Rewrites the full table in `results_doc` and the shipped models' table in `readme` (neither
    when either file lacks its markers); returns what it wrote where, for the console."""
    texts = rendered(readme, results_doc, results_path, speed_files, models_dir)
    for path, text in texts.items():
        with open(path, "w") as handle:
            handle.write(text)
    shipped = texts[readme].split(SHIPPED_START, 1)[1].split(SHIPPED_END, 1)[0].strip()
    count = len(json.loads(read(results_path))) if os.path.exists(results_path) else 0
    return f"{results_doc}: {count} recorded runs\n{readme}: shipped models\n{shipped}"
