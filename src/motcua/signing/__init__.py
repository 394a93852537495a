"""Digital signatures on electronic results (SPEC §2 "Results", §3 item 13; VP 16.1).

* :mod:`.pki` — the demo certificate authority and one signing key per agency;
* :mod:`.signing` — PAdES signing (:func:`~.signing.sign_pdf`) and checking
  (:func:`~.signing.verify_pdf`) of PDF results;
* :mod:`.keystore` — encryption of private keys at rest.
"""
