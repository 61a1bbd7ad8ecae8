"""The location bound's arithmetic (`locus.location_bound.region_bound`): cutting a prediction to
the named regions removes its false positives there and any truth outside them."""
from __future__ import annotations

import numpy as np

from locus.location_bound import region_bound
from locus.metrics import dice


def test_region_bound_cuts_the_prediction_to_the_named_regions():
    zones = np.repeat(np.arange(6)[None, :], 6, axis=0).repeat(2, axis=1)  # 6 x 12, bands of 2
    truth = np.zeros((6, 12), dtype=bool)
    truth[:, 0:2] = True  # region 0
    truth[0, 10] = True  # one truth pixel in region 5, which the report does not name
    pred = truth.copy()
    pred[:, 4:6] = True  # a false positive band in region 2
    named = (1, 0, 0, 0, 0, 0)
    bound = region_bound(pred, truth, zones, named)
    assert bound["dice"] == dice(pred, truth) < bound["oracle_dice"]
    assert bound["oracle_dice"] == dice(truth & (zones == 0), truth)
    assert bound["pred_outside"] == 13 / 25 and bound["truth_outside"] == 1 / 13
    assert region_bound(truth, truth, zones, (1,) * 6)["oracle_dice"] == 1.0
    assert dice(np.zeros(3, bool), np.zeros(3, bool)) == 1.0
