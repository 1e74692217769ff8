"""The official workbench: the work waiting for me, applications and their actions, calls and
their approval chains, and the dashboard, one module per page.

Views stay thin: they read through `grants.workbench_selectors` (an official sees only their
public bodies' applications: anything else is a 404), and every action goes through the one
door (`portal.posting.transition_post`) with parameters validated by the API's serializers.
Bad input re-renders the page with the errors at their fields (400, nothing saved); an action
the person may not take is a 403, one the record's state no longer allows a message (409).
"""
