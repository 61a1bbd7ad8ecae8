"""Losses of paper eq. 4: l = 0.3 l_s(M) + 0.6 l_s(S) + 0.1 sum_i l_c_i, l_s = 0.5 Dice + 0.5 BCE."""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch.nn import functional as F

SEG_WEIGHTS = {"coarse": 0.3, "final": 0.6, "gpfc": 0.1}
#: Our addition (model v2's location gate, `model/region_gate.py`): weight of its zone and region
#: losses (`gate_loss`).
GATE_WEIGHT = 0.2
#: Our addition: the decoder's IoU head is trained to predict the IoU of its own mask (as SAM does).
IOU_WEIGHT = 0.05


def dice_loss(logits: torch.Tensor, target: torch.Tensor, eps: float = 1.0) -> torch.Tensor:
    """Soft Dice on probabilities, per sample then averaged. logits/target [B, 1, H, W]."""
    probs = torch.sigmoid(logits).flatten(1)
    target = target.flatten(1)
    inter = (probs * target).sum(1)
    return (1.0 - (2.0 * inter + eps) / (probs.sum(1) + target.sum(1) + eps)).mean()


def seg_loss(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """l_s = 0.5 Dice + 0.5 BCE; logits are resized to the target's grid first."""
    if logits.shape[-2:] != target.shape[-2:]:
        logits = F.interpolate(logits, size=target.shape[-2:], mode="bilinear", align_corners=False)
    return 0.5 * dice_loss(logits, target) + 0.5 * F.binary_cross_entropy_with_logits(logits, target)


def mask_iou(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Hard IoU of (logits > 0) against (target > 0.5), per sample [B]; empty vs empty = 1."""
    pred = (logits > 0).flatten(1).float()
    truth = (target > 0.5).flatten(1).float()
    inter = (pred * truth).sum(1)
    union = ((pred + truth) > 0).float().sum(1)
    return torch.where(union > 0, inter / union.clamp(min=1.0), torch.ones_like(union))


@dataclass
class LocusLoss:
    total: torch.Tensor
    coarse: torch.Tensor
    final: torch.Tensor
    gpfc: torch.Tensor
    iou: torch.Tensor


def locus_loss(*, coarse_logits: torch.Tensor, mask_logits: torch.Tensor, iou_pred: torch.Tensor,
               gpfc_logits: torch.Tensor, target: torch.Tensor, regions: torch.Tensor,
               gpfc_weight: float = SEG_WEIGHTS["gpfc"]) -> LocusLoss:
    """Eq. 4. gpfc_logits [B, 4, 6], regions [B, 6]; l_c is summed over the 4 stages."""
    coarse = seg_loss(coarse_logits, target)
    final = seg_loss(mask_logits, target)
    stages = gpfc_logits.shape[1]
    gpfc = sum(F.binary_cross_entropy_with_logits(gpfc_logits[:, i], regions) for i in range(stages))
    iou = F.mse_loss(iou_pred[:, 0], mask_iou(mask_logits.detach(), target))
    total = (SEG_WEIGHTS["coarse"] * coarse + SEG_WEIGHTS["final"] * final + gpfc_weight * gpfc
             + IOU_WEIGHT * iou)
    return LocusLoss(total=total, coarse=coarse, final=final, gpfc=gpfc, iou=iou)


def clip_loss(image_embed: torch.Tensor, text_embed: torch.Tensor, same: torch.Tensor,
              logit_scale: torch.Tensor) -> torch.Tensor:
    """Symmetric contrastive loss with soft targets: pairs whose reports give the same region
    labels (`same` [B, B], 1 = same) are all positives, since many synthetic reports coincide."""
    # Centre each side on its batch mean first: from scratch, every chest image (and every report)
    # starts with nearly the same embedding (cosine ~0.99), and without centring the towers
    # collapse to one constant vector (loss stuck at ln B).
    image_embed = F.normalize(image_embed - image_embed.mean(0, keepdim=True), dim=-1, eps=1e-4)
    text_embed = F.normalize(text_embed - text_embed.mean(0, keepdim=True), dim=-1, eps=1e-4)
    scale = logit_scale.clamp(max=math.log(100.0)).exp()  # CLIP's cap; unbounded it diverges
    logits = scale * image_embed @ text_embed.t()
    targets = same / same.sum(1, keepdim=True)
    loss_i = -(targets * F.log_softmax(logits, dim=1)).sum(1).mean()
    loss_t = -(targets * F.log_softmax(logits.t(), dim=1)).sum(1).mean()  # `same` is symmetric
    return 0.5 * (loss_i + loss_t)


def point_confidence_loss(coarse_logits: torch.Tensor, target: torch.Tensor, *, theta: float,
                          margin: float = 0.5) -> torch.Tensor:
    """Our addition: a hinge that lifts the most confident lesion cell above theta.

    coarse_logits [B, 1, g, g], target [B, 1, m, m]. For every case with at least one cell that
    is half lesion or more, the highest coarse logit among those cells should exceed
    logit(theta) + margin; so the Top-k step finds points where the paper expects them (the
    segmentation losses alone leave the coarse mask under-confident). Cases without such a cell
    add nothing. 0 when no case qualifies.
    """
    pooled = F.adaptive_avg_pool2d(target, coarse_logits.shape[-2:])
    lesion = (pooled >= 0.5).flatten(1)
    qualifies = lesion.any(dim=1)
    if not bool(qualifies.any()):
        return coarse_logits.sum() * 0.0
    best = coarse_logits.flatten(1).masked_fill(~lesion, -1.0e4).max(dim=1).values
    goal = math.log(theta / (1.0 - theta)) + margin
    return F.relu(goal - best)[qualifies].mean()


def zone_targets(zones: torch.Tensor, grid: int, num_regions: int) -> tuple[torch.Tensor, torch.Tensor]:
    """zones [B, m, m] uint8 (region index per mask pixel; anything >= num_regions is padding)
    -> the share of each region in every coarse cell [B, R, g, g] and the cell's share of
    frame [B, g, g] (0 for a cell wholly in the padding)."""
    onehot = F.one_hot(zones.long().clamp(max=num_regions), num_regions + 1)  # [B, m, m, R+1]
    shares = F.adaptive_avg_pool2d(onehot.permute(0, 3, 1, 2).float(), grid)[:, :num_regions]
    return shares, shares.sum(dim=1)


def allowed_regions(regions: torch.Tensor) -> torch.Tensor:
    """Report labels [B, 6] -> where the report allows lesions: its regions, or all six when it
    names none (a report without location words says nothing against any region)."""
    names_some = regions.sum(dim=1, keepdim=True) > 0
    return torch.where(names_some, regions, torch.ones_like(regions))


def gate_loss(zone_logits: torch.Tensor, region_logits: torch.Tensor, zones: torch.Tensor | None,
              regions: torch.Tensor) -> torch.Tensor:
    """Zone head: cross-entropy against each cell's region shares, weighted by its share of
    frame (skipped without zone maps); region head: BCE against `allowed_regions`."""
    loss = F.binary_cross_entropy_with_logits(region_logits, allowed_regions(regions))
    if zones is None:
        return loss
    shares, weight = zone_targets(zones, zone_logits.shape[-1], zone_logits.shape[1])
    target = shares / weight.clamp(min=1e-6)[:, None]
    per_cell = -(target * F.log_softmax(zone_logits, dim=1)).sum(dim=1)  # [B, g, g]
    return loss + (weight * per_cell).sum() / weight.sum().clamp(min=1e-6)
