"""The append-only, hash-chained step log: the ground every app of Tidu stands on.

Every app writes its decisions here (``steplog.services.step_record``); this app imports
no app of ours and knows actors, objects and jurisdictions only by their fields.
"""
