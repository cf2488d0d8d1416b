"""The only way to a forum attachment: to members who may read the forum *and* the post (a post
awaiting moderation: its author and the moderators of its author only), always as a download."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views import View
from machina.core.db.models import get_model

from core.storage import private_download
from forum import perms

Attachment = get_model("forum_attachments", "Attachment")


class AttachmentView(View):
    http_method_names = ["get", "head"]

    def get(self, request, pk):
        attachment = get_object_or_404(
            Attachment.objects.select_related("post__topic__forum", "post__poster"), pk=pk
        )
        post = attachment.post
        handler = request.forum_permission_handler
        if not (
            handler.can_download_files(post.topic.forum, request.user)
            and perms.can_see_post(request.user, post)
        ):
            raise Http404
        return private_download(
            attachment.file,
            filename=attachment.filename,
            content_type=attachment.content_type or "application/octet-stream",
        )
