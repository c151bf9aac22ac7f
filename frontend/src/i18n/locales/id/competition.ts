// Indonesian is the reference: en/competition.ts must have exactly these keys.
const messages = {
  competition: {
    backHome: 'Kembali ke beranda',
    unavailable: 'Kompetisi tidak tersedia',
    topN: 'TOP {n}',
    timeline: 'Tahapan',
    currentStage: 'Tahap saat ini: {stage}',
    timezone: 'Waktu dalam zona {zone}',
    groups: {
      umum: 'Umum',
      replikasi: 'Replikasi',
      khusus: 'Khusus',
    },
    schedule: {
      title: 'Jadwal presentasi',
      intro: 'Urutan pemaparan inovasi di hadapan Tim Penilai; waktu dalam zona {zone}.',
      download: 'Unduh kalender (.ics)',
      break: 'Istirahat',
      yours: 'Presentasi Anda',
    },
    innovations: {
      title: 'Inovasi yang lolos seleksi administrasi',
      notYet: 'Daftar inovasi yang lolos seleksi administrasi diumumkan saat tahap presentasi dimulai.',
      count: '{n} inovasi',
      showSummary: 'Baca ringkasan publik',
      hideSummary: 'Tutup ringkasan',
      noSummary: 'Kompetisi ini tidak membuka bagian proposal untuk publik.',
    },
    results: {
      title: 'TOP {n} yang diumumkan',
      final: 'Final',
      provisional: 'Sementara, dalam masa sanggah',
      announcedAt: 'Diumumkan {at}.',
      rank: 'Peringkat {rank}',
      honourable: 'Penghargaan khusus',
      objectionPeriod: 'Masa sanggah (uji publik): {start} sampai {end}.',
      manifest: 'Sidik jari (SHA-256) berkas hasil penilaian yang dibekukan saat keputusan diambil:',
    },
    objection: {
      title: 'Ajukan sanggahan',
      intro:
        'Selama masa sanggah, siapa pun dapat menyampaikan keberatan atas inovasi yang diumumkan. Tim Pelaksana menelaah setiap sanggahan.',
      innovation: 'Inovasi yang disanggah',
      choose: 'Pilih inovasi',
      name: 'Nama Anda',
      email: 'E-mail Anda',
      emailHint: 'Hanya untuk Tim Pelaksana menghubungi Anda; tidak dipublikasikan.',
      text: 'Isi sanggahan',
      textHint: 'Jelaskan keberatan Anda beserta buktinya ({min} sampai {max} karakter).',
      count: '{count} dari {max} karakter',
      submit: 'Kirim sanggahan',
      sending: 'Mengirim…',
      received: 'Sanggahan diterima',
      receipt: 'Nomor tanda terima: {id}. Simpan nomor ini.',
    },
  },
  timeline: {
    state: {
      past: 'Selesai',
      current: 'Berlangsung',
      upcoming: 'Akan datang',
    },
    open: 'jadwal sedang dibuka',
    closed: 'jadwal sudah ditutup',
    notYetOpen: 'jadwal belum dimulai',
  },
}

export type CompetitionMessages = typeof messages
export default messages
