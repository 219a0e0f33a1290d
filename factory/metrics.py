"""Classification metrics from predicted probabilities: accuracy, per-class precision/recall/F1,
macro-F1, confusion matrix (rows = true class, columns = predicted)."""
from __future__ import annotations

import numpy as np


def confusion(labels: np.ndarray, predicted: np.ndarray, classes: int) -> np.ndarray:
    matrix = np.zeros((classes, classes), np.int64)
    np.add.at(matrix, (labels, predicted), 1)
    return matrix


def summarize(labels: np.ndarray, probs: np.ndarray, names: list[str]) -> dict:
    predicted = probs.argmax(1)
    matrix = confusion(labels, predicted, len(names))
    true_pos = np.diag(matrix).astype(float)
    support = matrix.sum(1)
    predicted_count = matrix.sum(0)
    precision = np.divide(true_pos, predicted_count, out=np.zeros_like(true_pos), where=predicted_count > 0)
    recall = np.divide(true_pos, support, out=np.zeros_like(true_pos), where=support > 0)
    denom = precision + recall
    f1 = np.divide(2 * precision * recall, denom, out=np.zeros_like(true_pos), where=denom > 0)
    return {
        "samples": int(len(labels)),
        "accuracy": float(true_pos.sum() / max(len(labels), 1)),
        "macro_f1": float(f1.mean()),
        "per_class": {
            name: {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
            for name, p, r, f, s in zip(names, precision, recall, f1, support)
        },
        "confusion": matrix.tolist(),
    }
