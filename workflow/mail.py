"""SMTP in two steps, so that the outbox's database commit sits inside the SMTP transaction.

An SMTP server takes a message only when it reads the line "." that ends DATA; a connection
that drops before that line leaves it nothing (RFC 5321 4.1.1.4). `prepare` sends everything
but that line; the caller commits the outbox row as sent; `finish` sends the line.

- Killed before the commit: the server discards the unfinished message and the row is still
  pending, so the next run sends it. Nothing lost, nothing twice.
- Killed after `finish`: the server has the message and the row says sent.
- Only a kill during the commit's own acknowledgement (well under a millisecond) can leave a
  row marked sent whose message was not finished. Sending first and committing after would
  instead leave the whole time the server takes to accept a message open to duplicates.
"""

import re
import smtplib
import socket

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend
from django.core.mail.message import sanitize_address

_LEADING_DOT = re.compile(rb"(?m)^\.")


class TwoPhaseSMTPBackend(EmailBackend):
    """Django's SMTP backend (TLS, login, timeouts) plus `prepare` and `finish`."""

    def open(self) -> bool | None:
        opened = super().open()
        if self.connection is not None and self.connection.sock is not None:
            # The final "." is a small write after the message: without TCP_NODELAY, Nagle's
            # algorithm holds it until the server's delayed ACK, some 40 ms per message.
            self.connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return opened

    def prepare(self, email: EmailMessage) -> None:
        """Send the envelope and the message, all but the final ".": nothing is sent yet."""
        if self.connection is None:
            self.open()
        encoding = email.encoding or settings.DEFAULT_CHARSET
        smtp = self.connection
        smtp.ehlo_or_helo_if_needed()
        self._expect(smtp.mail(sanitize_address(email.from_email, encoding)), 250)
        for address in email.recipients():
            self._expect(smtp.rcpt(sanitize_address(address, encoding)), 250, 251)
        self._expect(smtp.docmd("DATA"), 354)
        data = _LEADING_DOT.sub(b"..", email.message().as_bytes(linesep="\r\n"))
        if not data.endswith(b"\r\n"):
            data += b"\r\n"
        smtp.send(data)

    def finish(self) -> None:
        """End DATA: from the server's 250 on, the message is delivered."""
        self.connection.send(b".\r\n")
        self._expect(self.connection.getreply(), 250)

    @staticmethod
    def _expect(reply: tuple[int, bytes], *codes: int) -> None:
        code, message = reply
        if code not in codes:
            raise smtplib.SMTPResponseException(code, message)
