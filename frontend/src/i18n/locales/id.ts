// Indonesian is the default locale and the reference: en.ts must have exactly these keys.
const id = {
  app: {
    name: 'KIPP',
    fullName: 'Kompetisi Inovasi Pelayanan Publik',
    skipToContent: 'Langsung ke isi',
    loading: 'Memuat…',
    retry: 'Coba lagi',
  },
  nav: {
    label: 'Navigasi utama',
    home: 'Beranda',
    innovator: 'Proposal saya',
    judge: 'Penilaian',
    admin: 'Admin',
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
  login: {
    title: 'Masuk',
    intro: 'Masuk dengan akun yang diberikan oleh Tim Pelaksana.',
    email: 'E-mail',
    password: 'Kata sandi',
    showPassword: 'Tampilkan kata sandi',
    submit: 'Masuk',
    submitting: 'Sedang masuk…',
    demoTitle: 'Akun demo',
    demoHint: 'Data demo sedang dimuat. Pilih akun untuk mengisi formulir.',
  },
  home: {
    title: 'Kompetisi yang dipublikasikan',
    empty: 'Belum ada kompetisi yang dipublikasikan.',
    currentStage: 'Tahap saat ini',
    window: '{start} sampai {end}',
    topN: 'TOP {n}',
  },
  innovator: {
    title: 'Proposal saya',
  },
  judge: {
    title: 'Penilaian saya',
  },
  admin: {
    title: 'Dasbor Tim Pelaksana',
  },
  placeholder: {
    pending: 'Layar ini sedang disiapkan.',
  },
  notFound: {
    title: 'Halaman tidak ditemukan',
    body: 'Alamat yang Anda buka tidak ada atau sudah dipindahkan.',
    back: 'Kembali ke beranda',
  },
  errors: {
    server: 'Server sedang bermasalah (kode {status}). Coba lagi sebentar lagi.',
    network: 'Tidak dapat terhubung ke server. Periksa koneksi Anda lalu coba lagi.',
    unknown: 'Terjadi kesalahan yang tidak terduga.',
    fields: 'Periksa isian berikut:',
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

export type Messages = typeof id
export default id
