import rules

from gvalley.accounts.rules import is_operator

rules.add_perm("week.change_edition", is_operator)
