import rules

from gvalley.accounts.rules import is_operator

rules.add_perm("directory.import_companies", is_operator)
rules.add_perm("directory.change_company", is_operator)
rules.add_perm("directory.export_companies", rules.is_authenticated)
