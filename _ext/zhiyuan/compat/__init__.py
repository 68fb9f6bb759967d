"""Where our code reaches into other packages' internals."""
