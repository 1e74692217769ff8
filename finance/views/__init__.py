"""Finance: payable decisions and agreements, payments and payment batches.

The pages read through finance.batches (`payable_inbox`, `payables_for`, `batches_for`: a
person sees only the payables and batches of the public bodies where they work in finance;
another body's answers 404) and write through finance.payables (`payment_record_for` and
`payment_reverse_for`: the subject's `record_payment` and `reverse_payment` transitions) and
finance.batches (`payment_batch_create`, `payment_batch_mark_sent`).
"""
