"""Replies to Leerpad's invites (iTIP METHOD:REPLY, RFC 5546 §3.2.3): parse, match, store."""
