from django.dispatch import Signal

#: Sent with `post` when a post becomes visible to members (see `Post.save`).
post_published = Signal()
