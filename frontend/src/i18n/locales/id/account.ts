// Indonesian is the reference: en/account.ts must have exactly these keys.
const messages = {
  account: {
    inbox: {
      title: 'Notifikasi',
      onlyUnread: 'Hanya yang belum dibaca',
      markAll: 'Tandai semua sudah dibaca',
      markRead: 'Tandai sudah dibaca',
      open: 'Buka',
      unread: 'Belum dibaca',
      empty: 'Belum ada notifikasi.',
      more: 'Tampilkan lebih banyak',
    },
    title: 'Akun saya',
    profile: {
      title: 'Profil',
      name: 'Nama',
      email: 'E-mail',
      role: 'Peran',
      agency: 'Perangkat daerah',
      noAgency: 'Tidak terikat perangkat daerah',
      changeHint: 'Perubahan nama, e-mail atau peran dilakukan oleh Tim Pelaksana.',
    },
    tokens: {
      title: 'Token akses pribadi',
      intro:
        'Token untuk skrip dan aplikasi lain yang memakai API KIPP atas nama Anda. Kirim sebagai header "Authorization: Bearer …". Cabut token yang tidak dipakai lagi.',
      createTitle: 'Buat token baru',
      name: 'Nama token',
      nameHint: 'Untuk apa token ini, misalnya "skrip impor".',
      nameRequired: 'Isi nama token.',
      expiry: 'Berlaku sampai',
      expiryHint: 'Kosongkan bila token tidak kedaluwarsa. Token berlaku sampai akhir hari yang dipilih.',
      create: 'Buat token',
      creating: 'Membuat…',
      createdTitle: 'Token "{name}" dibuat',
      createdWarning: 'Salin dan simpan token ini sekarang. Token tidak akan ditampilkan lagi.',
      tokenLabel: 'Token',
      copy: 'Salin',
      copied: 'Tersalin',
      copiedStatus: 'Token disalin ke papan klip.',
      copyFailed: 'Gagal menyalin otomatis: pilih teks token lalu salin secara manual.',
      done: 'Sudah saya simpan',
      listTitle: 'Token aktif',
      empty: 'Belum ada token aktif.',
      prefix: 'Awalan',
      createdAt: 'Dibuat',
      expiresAt: 'Kedaluwarsa',
      never: 'Tidak kedaluwarsa',
      lastUsed: 'Terakhir dipakai',
      notUsed: 'Belum pernah',
      revoke: 'Cabut',
      revokeTitle: 'Cabut token?',
      revokeBody:
        'Token "{name}" langsung berhenti berfungsi. Skrip yang memakainya akan ditolak. Tindakan ini tidak dapat dibatalkan.',
    },
  },
}

export type AccountMessages = typeof messages
export default messages
