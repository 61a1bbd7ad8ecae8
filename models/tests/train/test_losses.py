"""Tests of locus.train.losses: Dice/BCE segmentation loss, eq. 4 weighting, IoU and CLIP losses."""
from __future__ import annotations

import math

import pytest
import torch
from torch.nn import functional as F

from locus.train.losses import (
    IOU_WEIGHT, SEG_WEIGHTS, clip_loss, dice_loss, locus_loss, mask_iou, seg_loss,
)


def half_target(size: int = 32) -> torch.Tensor:
    target = torch.zeros(1, 1, size, size)
    target[..., : size // 2] = 1.0
    return target


def test_dice_of_perfect_prediction_is_zero():
    target = half_target()
    logits = (target * 2.0 - 1.0) * 50.0
    assert dice_loss(logits, target).item() == pytest.approx(0.0, abs=1e-6)


def test_dice_of_inverted_prediction_is_one():
    target = half_target()
    logits = (1.0 - target * 2.0) * 50.0
    # 1 - eps / (N_pred + N_true + eps) with N = 512 each.
    assert dice_loss(logits, target).item() == pytest.approx(1.0 - 1.0 / 1025.0, abs=1e-6)


def test_dice_is_mean_over_samples():
    target = torch.cat([half_target(), half_target()])
    logits = torch.cat([(half_target() * 2 - 1) * 50, (1 - half_target() * 2) * 50])
    assert dice_loss(logits, target).item() == pytest.approx(0.5 * (1.0 - 1.0 / 1025.0), abs=1e-6)


def test_seg_loss_by_hand():
    # probabilities 0.5, 0.75, 0.25, 0.5 against targets 1, 1, 0, 0
    logits = torch.tensor([[[[0.0, math.log(3.0)], [-math.log(3.0), 0.0]]]])
    target = torch.tensor([[[[1.0, 1.0], [0.0, 0.0]]]])
    dice = 1.0 - (2.0 * 1.25 + 1.0) / (2.0 + 2.0 + 1.0)  # 0.3
    bce = -(2.0 * math.log(0.5) + 2.0 * math.log(0.75)) / 4.0
    assert dice_loss(logits, target).item() == pytest.approx(dice, abs=1e-6)
    assert seg_loss(logits, target).item() == pytest.approx(0.5 * dice + 0.5 * bce, abs=1e-6)


def test_seg_loss_resizes_logits_to_the_target_grid():
    torch.manual_seed(0)
    logits = torch.randn(2, 1, 4, 4)
    target = (torch.rand(2, 1, 8, 8) > 0.5).float()
    up = F.interpolate(logits, size=(8, 8), mode="bilinear", align_corners=False)
    assert seg_loss(logits, target).item() == pytest.approx(seg_loss(up, target).item(), abs=1e-6)
    constant = torch.full((1, 1, 4, 4), 0.7)
    assert seg_loss(constant, target[:1]).item() == pytest.approx(
        seg_loss(torch.full((1, 1, 8, 8), 0.7), target[:1]).item(), abs=1e-6)


def test_mask_iou():
    empty = torch.zeros(1, 1, 4, 4)
    assert mask_iou(empty - 1.0, empty).tolist() == [1.0]  # empty vs empty
    target = torch.zeros(1, 1, 2, 2)
    target[0, 0, 0] = 1.0  # two cells
    logits = torch.tensor([[[[1.0, -1.0], [1.0, -1.0]]]])  # predicts (0,0) and (1,0)
    assert mask_iou(logits, target).tolist() == [pytest.approx(1.0 / 3.0)]
    assert mask_iou(torch.full((1, 1, 2, 2), -1.0), target).tolist() == [0.0]
    assert mask_iou(torch.zeros(1, 1, 2, 2), target).tolist() == [0.0]  # logit 0 is not > 0


def _loss_inputs(seed: int = 0) -> dict:
    gen = torch.Generator().manual_seed(seed)
    return {"coarse_logits": torch.randn(2, 1, 8, 8, generator=gen),
            "mask_logits": torch.randn(2, 1, 32, 32, generator=gen),
            "iou_pred": torch.rand(2, 1, generator=gen),
            "gpfc_logits": torch.randn(2, 4, 6, generator=gen),
            "target": (torch.rand(2, 1, 32, 32, generator=gen) > 0.6).float(),
            "regions": (torch.rand(2, 6, generator=gen) > 0.5).float()}


@pytest.mark.parametrize("gpfc_weight", [SEG_WEIGHTS["gpfc"], 0.0])
def test_locus_loss_is_the_weighted_sum_of_its_parts(gpfc_weight):
    args = _loss_inputs()
    loss = locus_loss(**args, gpfc_weight=gpfc_weight)
    assert SEG_WEIGHTS == {"coarse": 0.3, "final": 0.6, "gpfc": 0.1}
    expected = (0.3 * loss.coarse + 0.6 * loss.final + gpfc_weight * loss.gpfc
                + IOU_WEIGHT * loss.iou)
    assert loss.total.item() == pytest.approx(expected.item(), abs=1e-6)
    target = args["target"]
    assert loss.coarse.item() == pytest.approx(seg_loss(args["coarse_logits"], target).item())
    assert loss.final.item() == pytest.approx(seg_loss(args["mask_logits"], target).item())
    stages = sum(F.binary_cross_entropy_with_logits(args["gpfc_logits"][:, i], args["regions"])
                 for i in range(4))
    assert loss.gpfc.item() == pytest.approx(stages.item(), abs=1e-6)
    iou = F.mse_loss(args["iou_pred"][:, 0], mask_iou(args["mask_logits"], args["target"]))
    assert loss.iou.item() == pytest.approx(iou.item(), abs=1e-6)


def test_locus_loss_default_gpfc_weight():
    args = _loss_inputs(1)
    assert locus_loss(**args).total.item() == pytest.approx(
        locus_loss(**args, gpfc_weight=0.1).total.item())


def test_iou_target_is_detached():
    args = _loss_inputs(2)
    mask_logits = args["mask_logits"].requires_grad_(True)
    iou_pred = args["iou_pred"].requires_grad_(True)
    loss = locus_loss(**dict(args, mask_logits=mask_logits, iou_pred=iou_pred))
    loss.iou.backward()
    assert iou_pred.grad is not None and iou_pred.grad.any()
    assert mask_logits.grad is None  # the IoU head learns the mask's IoU; it does not move the mask


def test_clip_loss_prefers_matched_pairs():
    torch.manual_seed(0)
    embed = torch.randn(6, 16)
    same = torch.eye(6)
    scale = torch.tensor(math.log(1 / 0.07))
    matched = clip_loss(embed, embed + 0.01 * torch.randn(6, 16), same, scale)
    shuffled = clip_loss(embed, embed[torch.tensor([1, 2, 3, 4, 5, 0])], same, scale)
    assert matched.item() < shuffled.item()
    assert torch.isfinite(matched) and matched.item() >= 0.0


def test_clip_loss_soft_targets_share_positives():
    # Two identical reports: both texts are positives for both images, so swapping them is free.
    torch.manual_seed(1)
    image = torch.randn(4, 8)
    text = image.clone()
    same = torch.eye(4)
    same[0, 1] = same[1, 0] = 1.0
    scale = torch.tensor(0.0)
    swapped = text[torch.tensor([1, 0, 2, 3])]
    assert clip_loss(image, swapped, same, scale).item() == pytest.approx(
        clip_loss(image, text, same, scale).item(), abs=1e-6)
