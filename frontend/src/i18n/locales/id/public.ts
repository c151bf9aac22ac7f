// Indonesian is the reference: en/public.ts must have exactly these keys.
const messages = {
  login: {
    title: 'Masuk',
    intro: 'Masuk dengan akun yang diberikan oleh Tim Pelaksana.',
    email: 'E-mail',
    password: 'Kata sandi',
    showPassword: 'Tampilkan kata sandi',
    submit: 'Masuk',
    submitting: 'Sedang masuk…',
    demoTitle: 'Akun demo',
    forgot: 'Lupa kata sandi?',
    passwordSet: 'Kata sandi Anda sudah diatur. Silakan masuk.',
    demoHint: 'Data demo terpasang. Pilih akun untuk mengisi formulir.',
  },
  home: {
    title: 'Kompetisi yang dipublikasikan',
    empty: 'Belum ada kompetisi yang dipublikasikan.',
    currentStage: 'Tahap saat ini',
    window: '{start} sampai {end}',
    topN: 'TOP {n}',
    catalogue: 'Cari inovasi dari semua penyelenggara dan tahun: judul, ringkasan, keberlanjutan, replikasi.',
    filter: 'Saring kompetisi',
    organisation: 'Organisasi',
    everyOrganisation: 'Semua organisasi',
    level: 'Tingkat',
    everyLevel: 'Semua tingkat',
  },
  notFound: {
    title: 'Halaman tidak ditemukan',
    body: 'Alamat yang Anda buka tidak ada atau sudah dipindahkan.',
    back: 'Kembali ke beranda',
  },
}

export type PublicMessages = typeof messages
export default messages
