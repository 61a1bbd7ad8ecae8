"""Data: the LViT-layout reader, report parser, tokenizer, preprocessing, zones, CT augmentation, folds."""
