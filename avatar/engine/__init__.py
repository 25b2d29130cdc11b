"""The reply pipeline: a Turn (:mod:`.turn`) runs down the steps (:mod:`.steps`) and ends
in the one finisher (:mod:`.finisher`); :mod:`.streaming` streams the same steps,
:mod:`.review` is the creator's side, :mod:`.assemble` builds the parts."""
