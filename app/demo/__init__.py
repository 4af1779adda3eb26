"""The demo: a workspace with users, a harmless synthetic hash list and a reported page of
synthetic pictures served from 127.0.0.1, so that a newcomer can walk the whole flow."""
