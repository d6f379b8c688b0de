"""``coach assess``: a cohort's practical videos scored in one batch, with the practical record,
the cohort table, the assessors' marking template and an evidence pack per candidate."""
