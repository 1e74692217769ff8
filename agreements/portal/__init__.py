"""Partnership agreements as both sides see them: terms, versions and their differences,
comments, review, signatures, meetings, evaluations, renewal and termination.

Every record is read through `agreements.selectors` (what the person's side may not see
answers 404, a draft the other side has not proposed included) and changed through
`agreements.services` or `workflow.transitions.transition_perform`. A `ValidationError` comes
back as the form's errors (400, nothing saved), `PermissionDenied` is the 403 page and a
`TransitionConflict` (someone acted first, the state moved on) is a message on the page the
person came from. Every form goes through `portal.posting.form_post`, which does all of that once.

One module per page, and the parts they share: `pages` (loading, breadcrumbs, writing),
`labels` (how states and kinds are named), `terms_view` (terms and their difference) and
`history` (the audit trail). The urls are in agreements.portal_urls.
"""
