// Indonesian is the reference: en/password.ts must have exactly these keys.
const messages = {
  forgot: {
    title: 'Lupa kata sandi',
    intro: 'Tulis e-mail akun Anda. Kami kirimkan tautan untuk mengatur kata sandi baru.',
    email: 'E-mail',
    submit: 'Kirim tautan',
    submitting: 'Mengirim…',
    sent: 'Jika e-mail itu terdaftar, tautan untuk mengatur kata sandi baru sudah dikirim. Tautan berlaku 30 menit dan hanya bisa dipakai sekali.',
    back: 'Kembali ke halaman masuk',
  },
  setPassword: {
    title: 'Atur kata sandi',
    intro: 'Pilih kata sandi untuk akun KIPP Anda (paling sedikit 8 karakter).',
    password: 'Kata sandi baru',
    confirm: 'Ulangi kata sandi',
    show: 'Tampilkan kata sandi',
    submit: 'Simpan kata sandi',
    submitting: 'Menyimpan…',
    mismatch: 'Kedua kata sandi tidak sama.',
    tooShort: 'Kata sandi paling sedikit 8 karakter.',
    noToken: 'Tautan ini tidak lengkap. Buka lagi tautan dari e-mail Anda, atau minta tautan baru.',
    askAgain: 'Minta tautan baru',
  },
}

export type PasswordMessages = typeof messages
export default messages
