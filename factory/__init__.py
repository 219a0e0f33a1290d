"""moodlens model factory: trains, evaluates and exports the emotion models the app ships."""

LABELS = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]
DEFAULT_DATA = "../shared/datasets/fer2013/"
