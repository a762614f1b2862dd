"""Channel-neutral core of the Tổ Công Nghệ bot."""
