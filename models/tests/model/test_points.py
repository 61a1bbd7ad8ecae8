"""Tests of locus.model.points: Top-k point selection, cell -> frame mapping and decoder slots."""
from __future__ import annotations

import numpy as np
import pytest

from locus.constants import MAX_POINTS, POINT_LABEL_NONE, POINT_LABEL_POSITIVE
from locus.model.points import (
    CellPoint, cell_to_frame, point_slots, select_points, sigmoid64, topk_slots,
)

LOW, HIGH = -20.0, 20.0


def cells(points: list[CellPoint]) -> list[tuple[int, int]]:
    return [(p.row, p.col) for p in points]


def test_no_candidate_gives_no_points():
    logits = np.full((4, 4), LOW, dtype=np.float32)
    assert select_points(logits, k=3, theta=0.9) == []
    slots = topk_slots(logits, k=3, theta=0.9, input_size=64)
    assert (slots.labels == POINT_LABEL_NONE).all()


def test_k_zero_gives_no_points():
    logits = np.full((4, 4), HIGH, dtype=np.float32)
    assert select_points(logits, k=0, theta=0.5) == []
    assert select_points(logits, k=-1, theta=0.5) == []


def test_k_larger_than_candidates_returns_every_candidate():
    logits = np.full((3, 3), LOW, dtype=np.float32)
    logits[0, 0], logits[1, 2], logits[2, 1] = 3.0, 2.0, 1.0
    chosen = select_points(logits, k=8, theta=0.5)
    assert sorted(cells(chosen)) == [(0, 0), (1, 2), (2, 1)]
    assert cells(chosen)[0] == (0, 0)  # the most probable comes first


def test_first_point_is_the_most_probable():
    logits = np.zeros((3, 4), dtype=np.float32)
    logits[2, 3] = 5.0
    chosen = select_points(logits, k=1, theta=0.1)
    assert cells(chosen) == [(2, 3)]
    assert chosen[0].prob == pytest.approx(1.0 / (1.0 + np.exp(-5.0)), abs=0, rel=1e-15)


def test_equal_probabilities_start_at_lowest_row_major_index():
    logits = np.full((3, 3), 4.0, dtype=np.float32)
    assert cells(select_points(logits, k=1, theta=0.5)) == [(0, 0)]
    logits[0, :] = LOW  # the lowest candidate index is now (1, 0)
    assert cells(select_points(logits, k=1, theta=0.5)) == [(1, 0)]


def test_equal_distances_go_to_lowest_index():
    # Peak in the centre; the four corners are all at squared distance 8 from it and
    # at 16 or 32 from each other, so every pick after the first is a tie.
    logits = np.full((5, 5), LOW, dtype=np.float32)
    for r, c in [(0, 0), (0, 4), (4, 0), (4, 4)]:
        logits[r, c] = 3.0
    logits[2, 2] = 6.0
    chosen = select_points(logits, k=5, theta=0.5)
    assert cells(chosen) == [(2, 2), (0, 0), (0, 4), (4, 0), (4, 4)]


def test_farthest_point_order_on_a_row():
    # 1 x 10 row, every cell a candidate, peak at column 3.
    # Pick 2: column 9 (d^2 = 36). Pick 3: columns 0 and 6 both at d^2 = 9 -> column 0.
    # Pick 4: column 6 (d^2 = 9 to column 3 and to column 9; every other cell is nearer).
    logits = np.full((1, 10), 2.0, dtype=np.float32)
    logits[0, 3] = 4.0
    assert cells(select_points(logits, k=4, theta=0.5)) == [(0, 3), (0, 9), (0, 0), (0, 6)]


def test_farthest_point_order_on_a_grid():
    # Candidates: a 2 x 3 block at the top-left and one cell at the bottom-right.
    logits = np.full((6, 6), LOW, dtype=np.float32)
    logits[0:2, 0:3] = 2.0
    logits[1, 1] = 5.0
    logits[5, 5] = 1.0
    # From (1,1): (5,5) d^2 = 32 is farthest. Then min distances: (0,0) 2, (0,1) 1, (0,2) 2,
    # (1,0) 1, (1,2) 1 -> (0,0) (lowest of the d^2 = 2 ties).
    # Then (0,2): d^2 = 2 to (1,1), 4 to (0,0); the rest are at 1.
    assert cells(select_points(logits, k=4, theta=0.5)) == [(1, 1), (5, 5), (0, 0), (0, 2)]


def test_threshold_is_strict():
    # sigmoid(0) is exactly 0.5 in float64, so theta = 0.5 excludes it.
    assert sigmoid64(np.zeros(1, dtype=np.float32))[0] == 0.5
    logits = np.zeros((2, 2), dtype=np.float32)
    assert select_points(logits, k=3, theta=0.5) == []
    logits[1, 1] = np.float32(1e-6)
    assert cells(select_points(logits, k=3, theta=0.5)) == [(1, 1)]


def test_probabilities_are_float64_of_float32_logits():
    logits = np.array([[0.1, 2.0]], dtype=np.float32)
    expected = 1.0 / (1.0 + np.exp(-logits.astype(np.float64)))
    np.testing.assert_array_equal(sigmoid64(logits), expected)
    assert sigmoid64(logits).dtype == np.float64


def test_cell_to_frame_on_non_square_grid():
    # grid (g_h, g_w) = (2, 4), S = 64: cell height 32, cell width 16.
    assert cell_to_frame(CellPoint(0, 0, 1.0), (2, 4), 64) == (8.0, 16.0)
    assert cell_to_frame(CellPoint(1, 3, 1.0), (2, 4), 64) == (56.0, 48.0)
    assert cell_to_frame(CellPoint(0, 2, 1.0), (2, 4), 64) == (40.0, 16.0)


def test_point_slots_padding():
    slots = point_slots([(1.0, 2.0)], [(3.0, 4.0, 0)], max_points=5)
    assert slots.coords.dtype == np.float32 and slots.coords.shape == (5, 2)
    assert slots.labels.dtype == np.int64 and slots.labels.shape == (5,)
    np.testing.assert_array_equal(slots.coords[:2], [[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(slots.coords[2:], 0.0)
    assert slots.labels.tolist() == [POINT_LABEL_POSITIVE, 0, -1, -1, -1]


def test_point_slots_default_size_and_empty():
    slots = point_slots([])
    assert slots.coords.shape == (MAX_POINTS, 2)
    assert (slots.labels == POINT_LABEL_NONE).all() and not slots.coords.any()


def test_user_points_follow_model_points_and_truncate():
    model = [(float(i), 0.0) for i in range(3)]
    user = [(10.0 + i, 5.0, i % 2) for i in range(4)]
    slots = point_slots(model, user, max_points=5)
    assert slots.coords[:, 0].tolist() == [0.0, 1.0, 2.0, 10.0, 11.0]
    assert slots.labels.tolist() == [1, 1, 1, 0, 1]
    # Model points alone beyond max_points are truncated too.
    many = point_slots([(float(i), float(i)) for i in range(7)], max_points=4)
    assert many.coords[:, 0].tolist() == [0.0, 1.0, 2.0, 3.0]
    assert (many.labels == 1).all()


def test_topk_slots_maps_cells_into_the_frame():
    logits = np.full((2, 4), LOW, dtype=np.float32)
    logits[1, 3], logits[0, 0] = 5.0, 4.0
    slots = topk_slots(logits, k=3, theta=0.9, input_size=64, max_points=4)
    np.testing.assert_array_equal(slots.coords, [[56.0, 48.0], [8.0, 16.0], [0, 0], [0, 0]])
    assert slots.labels.tolist() == [1, 1, -1, -1]
