// Indonesian is the reference: en/common.ts must have exactly these keys.
const messages = {
  app: {
    name: 'KIPP',
    fullName: 'Kompetisi Inovasi Pelayanan Publik',
    skipToContent: 'Langsung ke isi',
    loading: 'Memuat…',
    retry: 'Coba lagi',
  },
  common: {
    cancel: 'Batal',
    save: 'Simpan',
    saving: 'Menyimpan…',
    edit: 'Ubah',
    delete: 'Hapus',
    close: 'Tutup',
    create: 'Tambah',
    optional: '(opsional)',
    none: '—',
    yes: 'Ya',
    no: 'Tidak',
    actions: 'Tindakan',
    all: 'Semua',
    filter: 'Saring',
    total: '{n} data',
  },
  nav: {
    label: 'Navigasi utama',
    home: 'Beranda',
    innovator: 'Proposal saya',
    agencyUsers: 'Inovator OPD',
    judge: 'Penilaian',
    admin: 'Admin',
    account: 'Akun saya',
    login: 'Masuk',
    logout: 'Keluar',
    signedInAs: 'Masuk sebagai {name}',
  },
  language: {
    label: 'Bahasa',
    id: 'Bahasa Indonesia',
    en: 'English',
  },
  roles: {
    admin: 'Tim Pelaksana',
    agency_admin: 'Admin OPD',
    judge: 'Juri',
    innovator: 'Inovator',
  },
  stages: {
    submission: 'Pengajuan proposal',
    administrative: 'Seleksi administrasi',
    presentation: 'Presentasi dan penilaian',
    nomination: 'Penetapan nominasi',
    announcement: 'Pengumuman',
  },
  levels: {
    kabupaten: 'Kabupaten',
    provinsi: 'Provinsi',
    nasional: 'Nasional',
  },
  placeholder: {
    pending: 'Layar ini sedang disiapkan.',
  },
  errors: {
    server: 'Server sedang bermasalah (kode {status}). Coba lagi sebentar lagi.',
    network: 'Tidak dapat terhubung ke server. Periksa koneksi Anda lalu coba lagi.',
    unknown: 'Terjadi kesalahan yang tidak terduga.',
    fields: 'Periksa isian berikut:',
    requestId: 'Kode permintaan',
    copy: 'Salin',
    copied: 'Disalin',
  },
  wordCount: {
    count: '{count} dari {limit} kata',
    countNoLimit: '{count} kata',
    over: 'Melebihi batas {over} kata',
  },
  weights: {
    total: 'Total bobot: {total}%',
    complete: 'Total bobot sudah 100%.',
    incomplete: 'Total bobot harus 100% (selisih {diff}%).',
  },
  autosave: {
    saved: 'Tersimpan',
    saving: 'Menyimpan…',
    pending: 'Ada perubahan yang belum tersimpan',
    offline: 'Luring: perubahan disimpan otomatis saat tersambung kembali',
    error: 'Gagal menyimpan; perubahan Anda tetap ada',
  },
}

export type CommonMessages = typeof messages
export default messages
