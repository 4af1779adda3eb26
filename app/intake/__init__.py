"""How work enters the hotline: reports of URLs and media, fetched safely, traced to their
host, hashed in parallel and matched."""
