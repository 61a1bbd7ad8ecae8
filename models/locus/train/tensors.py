"""Dataset folders -> training tensors (preprocessed once, cached in the run folder)."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from ..data.augment import AugmentConfig, augmented_set, body_frame, make_slice
from ..data.dataset import Case, read_cases, read_image, read_mask
from ..data.preprocess import PreprocessSpec, mask_to_frame, preprocess
from ..data.report import parse_report
from ..data.zones import ZoneFrame, zone_frame, zone_index_map
from ..data.tokenizer import Tokenizer


#: Zone-map value of mask pixels outside the image (padding) or of slices with no body found.
NO_ZONE = 255


@dataclass
class CaseTensors:
    """images [N, 1, S, S]; targets [N, 1, m, m]; input_ids/attention_mask [N, L];
    regions [N, 6] (labels parsed from the report); stems and source folders for reporting;
    zones [N, m, m] uint8: the region index (REGIONS order) of every mask pixel by the report rule
    (`data/augment.py`), NO_ZONE in the padding; None where the data have no body masks."""

    images: torch.Tensor
    targets: torch.Tensor
    input_ids: torch.Tensor
    attention_mask: torch.Tensor
    regions: torch.Tensor
    stems: list[str]
    reports: list[str]
    zones: torch.Tensor | None = None

    def __len__(self) -> int:
        return self.images.shape[0]

    def to(self, device: str) -> "CaseTensors":
        return CaseTensors(self.images.to(device), self.targets.to(device),
                           self.input_ids.to(device), self.attention_mask.to(device),
                           self.regions.to(device), self.stems, self.reports,
                           None if self.zones is None else self.zones.to(device))

    def subset(self, index: torch.Tensor) -> "CaseTensors":
        idx = index.tolist()
        return CaseTensors(self.images[index], self.targets[index], self.input_ids[index],
                           self.attention_mask[index], self.regions[index],
                           [self.stems[i] for i in idx], [self.reports[i] for i in idx],
                           None if self.zones is None else self.zones[index])


def encode_reports(reports: list[str], tokenizer: Tokenizer) -> tuple[torch.Tensor, torch.Tensor]:
    encoded = [tokenizer.encode(r) for r in reports]
    ids = torch.tensor([e.input_ids for e in encoded], dtype=torch.long)
    mask = torch.tensor([e.attention_mask for e in encoded], dtype=torch.long)
    return ids, mask


def region_labels(reports: list[str]) -> torch.Tensor:
    """Reports -> [N, 6] float labels; an unreadable report gets all zeros (`parse_report`)."""
    return torch.tensor([list(parse_report(r).labels) for r in reports], dtype=torch.float32)


def zone_map(frame: ZoneFrame, shape: tuple[int, int], resized: tuple[int, int], input_size: int,
             mask_size: int) -> np.ndarray:
    """Region index of every pixel of the mask grid [m, m] over the padded frame, by the zone rule
    in `frame` (native pixels of an image of `shape`: a CT slice's body frame, a synthetic chest
    X-ray's lung-field frame); NO_ZONE where the frame is padding."""
    (h, w), (rh, rw) = shape, resized
    cell = input_size / mask_size  # frame pixels per mask pixel
    zones = zone_index_map(frame, (mask_size, mask_size),
                           scale_yx=(cell * h / rh, cell * w / rw)).astype(np.uint8)
    centres = (np.arange(mask_size) + 0.5) * cell
    zones[centres >= rh, :] = NO_ZONE
    zones[:, centres >= rw] = NO_ZONE
    return zones


def to_tensors(pixels: list[np.ndarray], masks: list[np.ndarray], reports: list[str],
               stems: list[str], spec: PreprocessSpec, mask_size: int,
               tokenizer: Tokenizer, frames: list[ZoneFrame] | None = None) -> CaseTensors:
    """Native images [H, W] and masks [H, W] (and each image's zone frame, for zone maps) ->
    model-frame tensors (see CaseTensors)."""
    images, targets, zones = [], [], []
    for i, (image, truth) in enumerate(zip(pixels, masks)):
        pre = preprocess(image, spec)
        images.append(pre.tensor[0])
        targets.append(mask_to_frame(truth, pre.resized, spec.input_size, mask_size)[None])
        if frames is not None:
            zones.append(zone_map(frames[i], image.shape[:2], pre.resized, spec.input_size,
                                  mask_size))
    ids, mask = encode_reports(reports, tokenizer)
    return CaseTensors(torch.from_numpy(np.stack(images)), torch.from_numpy(np.stack(targets)),
                       ids, mask, region_labels(reports), stems, reports,
                       torch.from_numpy(np.stack(zones)) if frames is not None else None)


#: Optional folder of a dataset: lung-field masks (same stems as the images, nonzero = lung),
#: written by the synthetic generator; their bounding box is the zone frame (`zone_frame`).
LUNGS_DIR = "lungs"


def lung_frames(root: Path, cases: list[Case]) -> list[ZoneFrame] | None:
    """The zone frame of every case from ROOT/lungs/<image name>, or None without that folder."""
    folder = Path(root) / LUNGS_DIR
    if not folder.is_dir():
        return None
    return [zone_frame(read_mask(folder / c.image.name) > 0) for c in cases]


def select_cases(root: Path, stems: list[str] | None) -> list[Case]:
    """The readable cases of a folder, restricted to `stems` (all when None); unknown stems raise."""
    cases, problems = read_cases(root)
    for problem in problems:
        print(f"skipping {problem.path}: {problem.reason}")
    if stems is None:
        return cases
    by_stem = {c.stem: c for c in cases}
    missing = [s for s in stems if s not in by_stem]
    if missing:
        raise ValueError(f"{root}: no readable case for {', '.join(missing)}")
    return [by_stem[s] for s in stems]


def load_folder(root: Path, spec: PreprocessSpec, mask_size: int,
                tokenizer: Tokenizer) -> CaseTensors:
    cases = select_cases(root, None)
    return to_tensors([read_image(c.image) for c in cases], [read_mask(c.mask) for c in cases],
                      [c.report for c in cases], [c.stem for c in cases], spec, mask_size,
                      tokenizer, lung_frames(root, cases))


def load_augmented(root: Path, stems: list[str] | None, augment: AugmentConfig,
                   spec: PreprocessSpec, mask_size: int, tokenizer: Tokenizer,
                   cache_dir: Path) -> CaseTensors:
    """The chosen 8-bit slices of `root` plus `augment.copies` report-preserving copies of each
    (`data/augment.py`), cached by content key like `load_cached`."""
    cases = select_cases(root, stems)
    key = hashlib.sha1(json.dumps([str(Path(root).resolve()), [c.stem for c in cases],
                                   repr(augment), spec.to_manifest(), mask_size,
                                   tokenizer.vocab, tokenizer.max_length, "zones"]).encode()).hexdigest()
    path = cache_dir / f"augmented-{key[:16]}.pt"
    if path.exists():
        return CaseTensors(**torch.load(path))
    originals, kept = [], []
    for c in cases:
        try:
            originals.append(make_slice(read_image(c.image), read_mask(c.mask), c.report))
            kept.append(c)
        except ValueError as err:  # a slice with no body cannot be zoned or retold
            if stems is not None:
                raise ValueError(f"{c.image}: {err}") from err
            print(f"skipping {c.image}: {err}")
    items = augmented_set(originals, augment)
    stems_out = [c.stem for c in kept]
    stems_out += [f"{c.stem}-flip" for c in kept] if augment.flip_copy else []
    stems_out += [f"{c.stem}-aug{i // len(kept) + 1}" for i, c in enumerate(kept * augment.copies)]
    part = to_tensors([s.image for s in items], [s.mask for s in items],
                      [s.report for s in items], stems_out, spec, mask_size, tokenizer,
                      [body_frame(s.body) for s in items])
    cache_dir.mkdir(parents=True, exist_ok=True)
    torch.save(dict(vars(part)), path)
    return part


def load_cached(roots: list[Path], spec: PreprocessSpec, mask_size: int, tokenizer: Tokenizer,
                cache_dir: Path) -> CaseTensors:
    """Concatenate several dataset folders, caching each one's tensors by content key."""
    parts = []
    for root in roots:
        key = hashlib.sha1(json.dumps([str(Path(root).resolve()), spec.to_manifest(), mask_size,
                                       tokenizer.vocab, tokenizer.max_length,
                                       (Path(root) / LUNGS_DIR).is_dir()]).encode()).hexdigest()
        path = cache_dir / f"tensors-{key[:16]}.pt"
        if path.exists():
            parts.append(CaseTensors(**torch.load(path)))
        else:
            part = load_folder(Path(root), spec, mask_size, tokenizer)
            cache_dir.mkdir(parents=True, exist_ok=True)
            torch.save(dict(vars(part)), path)
            parts.append(part)
    if len(parts) == 1:
        return parts[0]
    zoned = all(p.zones is not None for p in parts)
    return CaseTensors(*(torch.cat([getattr(p, f) for p in parts]) for f in
                         ("images", "targets", "input_ids", "attention_mask", "regions")),
                       sum((p.stems for p in parts), []), sum((p.reports for p in parts), []),
                       torch.cat([p.zones for p in parts]) if zoned else None)
