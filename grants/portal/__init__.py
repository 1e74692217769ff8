"""The association portal's grant pages: calls, applications, their form, confirmations and
reports, one module per page. The portal's home, notifications and calendar are `portal/`'s.

Every record is read through the selectors, narrowed to the person's own associations (an
official who also belongs to an association sees here only the association's side), so a
foreign record is a 404. Writes go through `grants.services` and the one door
(`portal.posting.transition_post`); a ValidationError comes back as field errors with status
400 and nothing saved, a refused state change as a message (or 409 when the form is shown
again).
"""
