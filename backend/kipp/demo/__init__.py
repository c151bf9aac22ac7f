"""The Luwu Utara KIPP 2021 demo (../shared/seed/): agencies, innovations, stages, logins."""
