"""``coach agreement``: the coach's marks against human assessors', beside the assessors'
agreement with each other (percent agreement, Cohen's kappa, PABAK, Fleiss' kappa)."""
