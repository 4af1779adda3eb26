"""The hotline's output: notices to hosting providers, referrals, re-checks."""
