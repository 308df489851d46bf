"""A text model fitted on the community's own words: TF-IDF, then LSA (truncated SVD).

Two members who write "I caption lecture videos" and "accessible media for online
courses" share few words but the same neighbourhood in the community's writing; LSA
finds that from the bios, roles and interests themselves. Nothing is downloaded: the
model is fitted when the index is built and reused to place changed members.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer

#: Below this many documents a vocabulary of words seen twice is too thin to mean much.
_MIN_DOCUMENTS = 4


class TextModel:
    """Maps free text to unit vectors whose dot product says how alike two texts are."""

    def __init__(self, dimensions: int = 64, *, seed: int = 0) -> None:
        self.dimensions = dimensions
        self.seed = seed
        self._vectorizer: TfidfVectorizer | None = None
        self._svd: TruncatedSVD | None = None

    @property
    def size(self) -> int:
        """The length of the vectors (0 when the model could not be fitted)."""
        return 0 if self._svd is None else int(self._svd.n_components)

    def fit_transform(self, documents: Sequence[str]) -> np.ndarray:
        """Fit on `documents` and return their vectors (rows: documents, unit length)."""
        if self.dimensions <= 0 or sum(1 for doc in documents if doc.strip()) < _MIN_DOCUMENTS:
            return np.zeros((len(documents), 0), dtype=np.float32)
        vectorizer = TfidfVectorizer(
            sublinear_tf=True,
            min_df=2 if len(documents) >= 50 else 1,
            max_df=0.5 if len(documents) >= 50 else 1.0,
            stop_words="english",
            max_features=60_000,
            dtype=np.float32,
            strip_accents="unicode",
        )
        try:
            counts = vectorizer.fit_transform(documents)
        except ValueError:  # nothing but stop words
            return np.zeros((len(documents), 0), dtype=np.float32)
        components = min(self.dimensions, counts.shape[1] - 1, counts.shape[0] - 1)
        if components < 2:
            return np.zeros((len(documents), 0), dtype=np.float32)
        svd = TruncatedSVD(n_components=components, random_state=self.seed, n_iter=5)
        vectors = svd.fit_transform(counts).astype(np.float32)
        self._vectorizer, self._svd = vectorizer, svd
        return _unit_rows(vectors)

    def transform(self, documents: Sequence[str]) -> np.ndarray:
        """Vectors for new or changed texts, with the model as fitted."""
        if self._vectorizer is None or self._svd is None:
            return np.zeros((len(documents), 0), dtype=np.float32)
        vectors = self._svd.transform(self._vectorizer.transform(documents)).astype(np.float32)
        return _unit_rows(vectors)


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms
