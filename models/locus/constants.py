"""Constants shared by Python and the TypeScript runtime.

The exporter copies these into every bundle manifest; TypeScript reads them from there and never
retypes them. Change a value here and re-export: the bundle is the contract.
"""
from __future__ import annotations

import copy

#: manifest.json format: 2 since the typed `metrics` record and `report_parser`.
FORMAT_VERSION = 2

#: The six lung regions, in the fixed order used by labels, GPFC logits, zones.csv and the UI.
#: Patient's sides: on images in radiological convention the patient's left is on the image's right.
REGIONS = (
    "right_upper",
    "right_middle",
    "right_lower",
    "left_upper",
    "left_middle",
    "left_lower",
)
NUM_REGIONS = len(REGIONS)
NUM_STAGES = 4

#: Top-k prompt defaults (paper: theta 0.9, k 3): their one definition. Training uses them, the
#: manifest carries them, and the runtime takes its defaults from the manifest only.
TOPK_DEFAULT = 3
THETA_DEFAULT = 0.9
TOPK_MAX = 8
#: Fixed number of point slots of the decoder graph (model points + user points; label -1 = none).
MAX_POINTS = 16

#: Point labels fed to the decoder.
POINT_LABEL_NONE = -1
POINT_LABEL_NEGATIVE = 0
POINT_LABEL_POSITIVE = 1

#: Tokenizer special tokens, in id order (ids 0..3).
SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]")
PAD_ID, UNK_ID, CLS_ID, SEP_ID = 0, 1, 2, 3

#: Final-mask threshold on logits (probability 0.5).
MASK_LOGIT_THRESHOLD = 0.0

#: The lung window the CT bundles' 8-bit training slices look rendered with, in Hounsfield units.
#: Fitted to the MedSeg slices' intensities (air in the bronchi ~10, aerated lung ~40, mediastinum
#: ~212 of 255; W 1300 / L -400 puts -1000, -850 and +40 HU at 10, 39 and 214). The textbook lung
#: window W 1500 / L -600 would show their lungs twice as bright (~85); on the 50 slices re-rendered
#: from HU the CT bundle scores Dice 0.5751 with this window and 0.5689 with that one.
CT_LUNG_WINDOW_HU = {"center": -400, "width": 1300}

#: What input a bundle of each modality expects (manifest `expected_input`): the DICOM Modality
#: values it was trained on, and how a DICOM's modality values (after RescaleSlope/Intercept or
#: the Modality LUT) become the 8-bit image the model saw. PNG and JPEG inputs are taken as
#: already rendered so. `window` is DICOM's VOI LUT Function LINEAR (PS3.3 C.11.2.1.2.1) with
#: these center and width; `full-range` maps the image's lowest value to 0 and its highest to
#: 255, with MONOCHROME1 inverted first (bone white) and pixel padding left out of the range.
EXPECTED_INPUT = {
    "ct": {
        "description": "8-bit axial CT slice in a lung window: W 1300 / L -400 applied to Hounsfield units",
        "dicom_modalities": ["CT"],
        "mapping": {"kind": "window", "units": "HU", "function": "LINEAR", **CT_LUNG_WINDOW_HU},
        "bits": 8,
    },
    "cxr": {
        "description": "8-bit chest radiograph, full range: the darkest value black, the brightest white "
                       "(MONOCHROME1 inverted first)",
        "dicom_modalities": ["CR", "DX"],
        "mapping": {"kind": "full-range"},
        "bits": 8,
    },
}


def expected_input(modality: str) -> dict:
    """The manifest's `expected_input` for a bundle of `modality` (a copy of EXPECTED_INPUT's entry)."""
    return copy.deepcopy(EXPECTED_INPUT[modality])
